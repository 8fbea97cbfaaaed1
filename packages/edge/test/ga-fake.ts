// Global Accelerator has no local server (moto lacks it), so the tests mock the client with
// aws-sdk-client-mock over the state machine in ga-model.ts. Every call is recorded with its
// input and the region of the client that made it.
import * as GA from '@aws-sdk/client-global-accelerator'
import { mockClient } from 'aws-sdk-client-mock'
import { gaModel } from './ga-model.js'

/** One recorded call. */
export interface FakeCall {
  operation: string
  input: Record<string, unknown>
  region: string
}

/** Starts the fake; every GlobalAcceleratorClient (injected or built by ferry) talks to it. */
export function fakeGlobalAccelerator(o: { describesUntilDeployed?: number } = {}) {
  const mock = mockClient(GA.GlobalAcceleratorClient)
  const { handlers, ...state } = gaModel(o.describesUntilDeployed ?? 3)
  const calls: FakeCall[] = []
  const failures = new Map<string, Error>()

  for (const [operation, handle] of Object.entries(handlers)) {
    const command = (GA as unknown as Record<string, new (input: never) => GA.ServiceInputTypes>)[
      `${operation}Command`
    ]!
    mock
      .on(command as never)
      .callsFake(
        async (input: Record<string, unknown>, getClient: () => GA.GlobalAcceleratorClient) => {
          calls.push({
            operation,
            input: structuredClone(input),
            region: await getClient().config.region(),
          })
          const failure = failures.get(operation)
          if (failure) {
            failures.delete(operation)
            throw failure
          }
          return handle(input as never)
        },
      )
  }

  return {
    ...state,
    calls,
    /** The operation names that change state, in order. */
    mutations: () => calls.map((c) => c.operation).filter((op) => !/^(Describe|List)/.test(op)),
    /** The next call of `operation` fails with `error`. */
    failOnce: (operation: string, error: Error) => void failures.set(operation, error),
    restore: () => mock.restore(),
  }
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
