// The lab's Global Accelerator from a test's side: a real GlobalAcceleratorClient pointed at the
// strict layer (us-west-2, the scope's credentials) and the layer's /_lab/globalaccelerator/ API
// to read the scope's accelerators and calls and change its rules. Every other client, in any
// process, reaches the same accelerators through `lab.aws.endpoint` with the scope's credentials.
import type { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator'
import { strictAwsScope, type StrictAwsScope } from '../control'
import type { LabGaCall, LabGaState } from './service'
import type { GaSettings, GaSettingsPatch } from './settings'

/** A scope's Global Accelerator in the lab. */
export interface LabGlobalAccelerator {
  /** The scope (its faults, its layer calls, ferry's `aws` option as `strict.aws`). */
  readonly strict: StrictAwsScope
  /** ferry's `aws` option for this scope (ferry calls Global Accelerator in us-west-2 anyway). */
  readonly aws: StrictAwsScope['aws']
  /** A real GlobalAcceleratorClient for us-west-2 at the lab's endpoint, in this scope. */
  readonly client: GlobalAcceleratorClient
  /** Changes the scope's rules (`{ rules: { transaction: false } }`) or its deploy time. */
  configure(patch: GaSettingsPatch): Promise<GaSettings>
  /** The scope's accelerators, listeners, endpoint groups and tags as they are now. */
  state(): Promise<LabGaState>
  /** Every request Global Accelerator answered in this scope, in order (not those a fault answered first). */
  calls(): Promise<LabGaCall[]>
  /** The operations of `calls()` that change something (neither Describe nor List). */
  mutations(): Promise<string[]>
  /** Empties the scope's accounts and settings. */
  reset(): Promise<void>
  /** Closes the client's connections. */
  close(): void
}

/**
 * The lab's Global Accelerator for one scope (default '': the lab's own credentials).
 * @example
 * const ga = await createLabGlobalAccelerator(lab.aws, 'accelerator-test')
 * await createAccelerator({ name: 'web', endpoints }, { aws: ga.aws })
 * expect((await ga.state()).accelerators).toHaveLength(1)
 */
export async function createLabGlobalAccelerator(
  aws: { endpoint: string },
  scope = '',
): Promise<LabGlobalAccelerator> {
  const { GlobalAcceleratorClient } = await import('@aws-sdk/client-global-accelerator')
  const strict = strictAwsScope(aws, scope)
  const client = new GlobalAcceleratorClient({
    endpoint: aws.endpoint,
    region: 'us-west-2',
    credentials: strict.aws.credentials,
    maxAttempts: 1,
  })
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(
      `${aws.endpoint}/_lab/globalaccelerator/${route}?scope=${encodeURIComponent(scope)}`,
      { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) },
    )
    const text = await response.text()
    if (!response.ok) throw new Error(`lab Global Accelerator: ${route}: ${text}`)
    return JSON.parse(text) as T
  }
  const calls = () => call<LabGaCall[]>('GET', 'calls')
  return {
    strict,
    aws: strict.aws,
    client,
    configure: (patch) => call('POST', 'settings', patch),
    state: () => call('GET', 'state'),
    calls,
    mutations: async () =>
      (await calls()).map((c) => c.operation).filter((op) => !/^(Describe|List)/.test(op)),
    reset: () => call('POST', 'reset'),
    close: () => client.destroy(),
  }
}
