// The client of the strict layer's /_lab/ API: switch AWS rules off one by one, queue faults,
// read what the layer saw. Each scope is an access key id: a client built with a scope's
// credentials meets that scope's settings, so a test's faults never reach its neighbours.
import type { GateDecision, GateInstance } from './gate'
import type { LayerCall } from './layer'
import type { FaultSpec, SettingsPatch, StrictSettings } from './settings'

/** A handle on one scope of the lab's strict AWS layer. */
export interface StrictAwsScope {
  /** The scope's name ('' is the lab-wide default every unconfigured scope reads). */
  readonly name: string
  /** What to give an AWS client (or ferry's `aws` option) to act in this scope. */
  readonly aws: {
    endpoint: string
    region: 'us-east-1'
    credentials: { accessKeyId: string; secretAccessKey: string }
  }
  /** Changes this scope's rules (`{ rules: { consistency: false } }`) or settings. */
  configure(patch: SettingsPatch & { callerIp?: string }): Promise<StrictSettings>
  /** Queues a fault for the next matching requests of this scope. */
  inject(fault: FaultSpec): Promise<void>
  /** Every request of this scope the layer saw, in order. */
  calls(): Promise<LayerCall[]>
  /** The instances' lab addresses and every connection decision of the security-group gate. */
  gate(): Promise<{ instances: GateInstance[]; decisions: GateDecision[] }>
  /** The address the lab says you connect from (what checkip.amazonaws.com would answer). */
  callerIp(): Promise<string>
  /** Back to the defaults, faults dropped. */
  reset(): Promise<void>
}

/**
 * A scope of the lab's strict AWS layer. The default credentials ('testing') read scope ''.
 * @example
 * const strict = strictAwsScope(lab.aws, 'launch-faults')
 * await strict.inject({ operation: 'RunInstances', fault: 'lose-response' })
 * await launchWebServer(input, { aws: strict.aws })
 */
export function strictAwsScope(aws: { endpoint: string }, name: string): StrictAwsScope {
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(
      `${aws.endpoint}/_lab/${route}?scope=${encodeURIComponent(name)}`,
      {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
    )
    const text = await response.text()
    if (!response.ok) throw new Error(`lab AWS layer: ${route}: ${text}`)
    return (route === 'checkip' ? text.trim() : JSON.parse(text)) as T
  }
  return {
    name,
    aws: {
      endpoint: aws.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: name || 'testing', secretAccessKey: 'testing' },
    },
    configure: (patch) => call('POST', 'settings', patch),
    inject: (fault) => call('POST', 'faults', fault),
    calls: () => call('GET', 'calls'),
    gate: () => call('GET', 'gate'),
    callerIp: () => call('GET', 'checkip'),
    reset: () => call('POST', 'reset'),
  }
}
