// The strict layer's switches: which of AWS's rules it enforces and which faults it injects,
// kept per scope (the request's access key id) so a test can change its own without touching
// the tests running beside it. Every rule is on by default; faults are off.

/**
 * The rules the lab enforces, each following an AWS documentation page cited where it is enforced.
 * @example
 * await strictAwsScope(lab.aws, 'mine').configure({ rules: Object.fromEntries(RULE_NAMES.map((r) => [r, false])) })
 */
export const RULE_NAMES = [
  'securityGroups',
  'idempotency',
  'consistency',
  'consoleOutput',
  'offerings',
] as const

/** One of the lab's AWS rules. */
export type RuleName = (typeof RULE_NAMES)[number]

/** A fault a test queues for the next matching requests. */
export interface FaultSpec {
  /** The operation it hits, e.g. 'RunInstances'. */
  operation: string
  /** The service, when the operation name is ambiguous; default any. */
  service?: string
  /** How many matching requests it hits; default 1. */
  times?: number
  /** How many matching requests pass untouched before it hits; default 0. */
  skip?: number
  /**
   * - `{ code, message, status }`: answer with this AWS error; the request never reaches AWS.
   * - `'throttle'`: `RequestLimitExceeded` (EC2) / `Throttling` (others), HTTP 503, before AWS.
   * - `'lose-response'`: AWS carries the request out, then the client gets an HTTP 500 instead
   *   of the answer — the SDK's retry arrives for something that already exists.
   * - `'drop-connection'`: AWS carries the request out, then the connection is cut.
   */
  fault:
    | { code: string; message?: string; status?: number }
    | 'throttle'
    | 'lose-response'
    | 'drop-connection'
}

/** Everything a scope can set. */
export interface StrictSettings {
  rules: Record<RuleName, boolean>
  /** How many uses of a just-created id (other than by the call that made it) answer NotFound. */
  consistencyUses: number
  /** ms after launch until the host keys show in the latest console output (Latest=true). */
  consoleLatestMs: number
  /** ms after launch until they show in the buffered console output. */
  consoleBufferedMs: number
  /**
   * Faults at a rate, from a seeded generator (so a failing run can be replayed): the share of
   * requests answered `RequestLimitExceeded`/`Throttling` before AWS sees them, and the share
   * carried out whose answer is lost. Both 0 by default; reliability tests raise them.
   */
  rates: { throttle: number; loseResponse: number; seed: number }
}

/** A partial change to a scope's settings. */
export interface SettingsPatch {
  rules?: Partial<Record<RuleName, boolean>>
  consistencyUses?: number
  consoleLatestMs?: number
  consoleBufferedMs?: number
  rates?: Partial<StrictSettings['rates']>
}

/**
 * The settings every scope starts from: every rule on, one NotFound per new id.
 * @example
 * defaultSettings().rules.idempotency // true
 */
export function defaultSettings(): StrictSettings {
  return {
    rules: Object.fromEntries(RULE_NAMES.map((r) => [r, true])) as Record<RuleName, boolean>,
    consistencyUses: 1,
    // On AWS the buffered output lags by minutes; scaled down here, the latest by a moment.
    consoleLatestMs: 300,
    consoleBufferedMs: 30_000,
    rates: { throttle: 0, loseResponse: 0, seed: 1 },
  }
}

/**
 * Settings with a patch applied (unknown rule names are refused, so a typo never passes silently).
 * @example
 * applyPatch(defaultSettings(), { rules: { consistency: false } })
 */
export function applyPatch(settings: StrictSettings, patch: SettingsPatch): StrictSettings {
  for (const name of Object.keys(patch.rules ?? {}))
    if (!(RULE_NAMES as readonly string[]).includes(name))
      throw new Error(`unknown lab rule '${name}': the rules are ${RULE_NAMES.join(', ')}`)
  return {
    rules: { ...settings.rules, ...patch.rules },
    consistencyUses: patch.consistencyUses ?? settings.consistencyUses,
    consoleLatestMs: patch.consoleLatestMs ?? settings.consoleLatestMs,
    consoleBufferedMs: patch.consoleBufferedMs ?? settings.consoleBufferedMs,
    rates: { ...settings.rates, ...patch.rates },
  }
}
