// Global Accelerator has no local server (moto lacks it): the tests use the lab's stand-in, a
// state machine of the service's rules served by aws-sdk-client-mock, for EVERY
// GlobalAcceleratorClient (injected or built by ferry). Each call is recorded with its input and
// the region of the client that made it.
import { createLabGlobalAccelerator, type LabGlobalAccelerator } from '@ferry/lab'

/** Starts the fake; every GlobalAcceleratorClient talks to it until `restore()`. */
export function fakeGlobalAccelerator(
  o: { describesUntilDeployed?: number } = {},
): Promise<LabGlobalAccelerator> {
  return createLabGlobalAccelerator({
    describesUntilDeployed: o.describesUntilDeployed ?? 3,
    everyClient: true,
  })
}

/** A clock whose sleeps pass at once but advance its time, so waits can run out. */
export function fakeClock() {
  let now = 0
  return {
    now: () => now,
    sleep: async (ms: number) => void (now += ms),
    random: () => 0.5,
  }
}
