// The layer's settings per scope (a request's access key id). A scope nobody configured reads
// the default scope's settings ('' — the lab's own credentials), so a lab-wide switch is one call.
import type { AwsRequest } from './wire'
import {
  applyPatch,
  defaultSettings,
  type FaultSpec,
  type SettingsPatch,
  type StrictSettings,
} from './settings'

/** One scope: its settings, its queued faults, the caller address it reports. */
export interface Scope {
  settings: StrictSettings
  callerIp: string
  /**
   * Takes the first queued fault that matches the request (and counts it down): `'before'`
   * faults (errors, throttling) are answered instead of AWS; `'after'` faults (a lost answer, a
   * cut connection) hit only a request that reached AWS.
   */
  takeFault(request: AwsRequest, when: 'before' | 'after'): FaultSpec['fault'] | undefined
  /** The next number of the scope's seeded generator, in [0, 1). */
  random(): number
}

/**
 * The scope table.
 * @example
 * const scopes = createScopes('198.51.100.10')
 * scopes.get('testing').settings.rules.idempotency // true
 */
export function createScopes(callerIp: string) {
  const own = new Map<
    string,
    {
      settings?: StrictSettings
      callerIp?: string
      faults: Required<FaultSpec>[]
      random?: () => number
    }
  >()
  const entry = (name: string) => {
    let e = own.get(name)
    if (!e) own.set(name, (e = { faults: [] }))
    return e
  }
  const base = () => own.get('')
  return {
    get(name: string): Scope {
      const e = own.get(name)
      return {
        settings: e?.settings ?? base()?.settings ?? defaultSettings(),
        callerIp: e?.callerIp ?? base()?.callerIp ?? callerIp,
        random() {
          if (!e) return 1
          e.random ??= mulberry32(e.settings?.rates.seed ?? 1)
          return e.random()
        },
        takeFault(request, when) {
          const faults = e?.faults ?? []
          const after = (f: FaultSpec) =>
            f.fault === 'lose-response' || f.fault === 'drop-connection'
          const i = faults.findIndex(
            (f) =>
              f.operation === request.operation &&
              (f.service === '' || f.service === request.service) &&
              after(f) === (when === 'after'),
          )
          if (i < 0) return undefined
          const f = faults[i]!
          if (f.skip > 0) {
            f.skip--
            return undefined
          }
          if (--f.times <= 0) faults.splice(i, 1)
          return f.fault
        },
      }
    },
    configure(name: string, patch: SettingsPatch & { callerIp?: string }): StrictSettings {
      const e = entry(name)
      e.settings = applyPatch(e.settings ?? base()?.settings ?? defaultSettings(), patch)
      if (patch.rates?.seed !== undefined) e.random = undefined
      if (patch.callerIp) e.callerIp = patch.callerIp
      return e.settings
    },
    inject(name: string, fault: FaultSpec): void {
      entry(name).faults.push({ service: '', times: 1, skip: 0, ...fault })
    },
    reset(name: string): void {
      own.delete(name)
    },
  }
}

/** The scope table's handle. */
export type Scopes = ReturnType<typeof createScopes>

// A small seeded generator (mulberry32): the same seed gives the same faults, run after run.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
