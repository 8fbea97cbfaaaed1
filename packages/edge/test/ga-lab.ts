// Global Accelerator for these tests: the lab's, on the wire at lab.aws.endpoint (moto has
// none), in a scope of each test's own so accelerators and calls never mix. Every
// GlobalAcceleratorClient that ferry builds from `ga.aws` reaches it; nothing is patched.
import { createLabGlobalAccelerator, uniqueName, type LabGlobalAccelerator } from '@ferry/lab'
import { labInfo } from '@ferry/lab/vitest'
import { afterEach } from 'vitest'

const opened: LabGlobalAccelerator[] = []
afterEach(() => void opened.splice(0).forEach((ga) => ga.close()))

/** A scope of the lab's Global Accelerator whose changes deploy in `deployMs` (default 100). */
export async function labGlobalAccelerator(
  name: string,
  o: { deployMs?: number } = {},
): Promise<LabGlobalAccelerator> {
  const ga = await createLabGlobalAccelerator(labInfo().aws, uniqueName(`edge-${name}`))
  await ga.configure({ deployMs: o.deployMs ?? 100 })
  opened.push(ga)
  return ga
}

/** The real clock, with every wait cut to 20 ms: polls come quickly, time passes for real. */
export const quickClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 20))),
  random: () => 0.5,
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
