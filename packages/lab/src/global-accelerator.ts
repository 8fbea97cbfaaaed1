// The lab's Global Accelerator. moto has none, so a real GlobalAcceleratorClient (us-west-2)
// is served in-process by aws-sdk-client-mock over a small state machine of the service's rules
// (ga-accelerators.ts, ga-listeners.ts). Every call is recorded with its input and the region of
// the client that made it.
import type { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator'
import { acceleratorHandlers, type GaHandler } from './ga-accelerators'
import { listenerHandlers } from './ga-listeners'
import { LabError } from './errors'
import { gaContext, type GaState } from './ga-state'

/** Options of the lab's Global Accelerator. */
export interface LabGlobalAcceleratorOptions {
  /** DescribeAccelerator calls a new or changed accelerator stays IN_PROGRESS for. Default 2. */
  describesUntilDeployed?: number
  /**
   * Serve EVERY GlobalAcceleratorClient of this process, not only the returned one — what a
   * pipeline needs, since its steps build their own clients (as pointing the SDK at moto does for
   * EC2). Default false. Call `restore()` to stop.
   */
  everyClient?: boolean
}

/** One recorded call. */
export interface LabGaCall {
  operation: string
  input: Record<string, unknown>
  /** The region of the client that sent it (Global Accelerator answers only in us-west-2). */
  region: string
}

/** The lab's Global Accelerator: a client, the state behind it, and the calls it got. */
export interface LabGlobalAccelerator extends GaState {
  /** A real GlobalAcceleratorClient for us-west-2, served by the lab. */
  client: GlobalAcceleratorClient
  /** Every call, in order. */
  calls: LabGaCall[]
  /** The operations that change state, in order. */
  mutations(): string[]
  /** The next call of `operation` fails with `error` (fault injection). */
  failOnce(operation: string, error: Error): void
  /** Stops serving: the clients' `send` is the SDK's again. */
  restore(): void
}

/**
 * Starts the lab's Global Accelerator: the API's rules (IN_PROGRESS → DEPLOYED after N describes;
 * idempotency tokens; delete refused while enabled, while listeners exist; listener delete
 * refused while endpoint groups exist; tags; paging) in memory, no network.
 * @example
 * const ga = await createLabGlobalAccelerator({ everyClient: true })
 * await createAccelerator({ name: 'web', endpoints }, { globalAccelerator: ga.client })
 * ga.restore()
 */
export async function createLabGlobalAccelerator(
  options: LabGlobalAcceleratorOptions = {},
): Promise<LabGlobalAccelerator> {
  // Loaded on first use, so importing @ferry/lab does not pay for the SDK and sinon.
  const [sdk, { mockClient }] = await Promise.all([
    import('@aws-sdk/client-global-accelerator'),
    import('aws-sdk-client-mock'),
  ])
  const client = new sdk.GlobalAcceleratorClient({
    region: 'us-west-2',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  })
  const mock = mockClient(options.everyClient ? sdk.GlobalAcceleratorClient : client)
  const ctx = gaContext(sdk, options.describesUntilDeployed ?? 2)
  const handlers: Record<string, GaHandler> = {
    ...acceleratorHandlers(ctx),
    ...listenerHandlers(ctx),
  }
  const calls: LabGaCall[] = []
  const failures = new Map<string, Error>()
  const commands = sdk as unknown as Record<string, new (input: never) => object>

  // Anything not modelled fails loudly rather than answering `undefined`.
  mock.onAnyCommand().callsFake((input: unknown) => {
    throw new LabError(
      'global-accelerator',
      `this operation is not modelled (input ${JSON.stringify(input)}); modelled: ${Object.keys(handlers).join(', ')}`,
    )
  })
  for (const [operation, handle] of Object.entries(handlers)) {
    mock
      .on(commands[`${operation}Command`] as never)
      .callsFake(
        async (input: Record<string, unknown>, getClient: () => GlobalAcceleratorClient) => {
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

  const { accelerators, listeners, groups, tags } = ctx
  return {
    client,
    accelerators,
    listeners,
    groups,
    tags,
    calls,
    mutations: () => calls.map((c) => c.operation).filter((op) => !/^(Describe|List)/.test(op)),
    failOnce: (operation, error) => void failures.set(operation, error),
    restore: () => mock.restore(),
  }
}
