// The lab's Global Accelerator switches, per scope like the layer's own: which of the service's
// rules it enforces (each can be switched off for a test that needs the old, kinder behaviour)
// and how long a change keeps an accelerator IN_PROGRESS. Every rule is on by default.

/**
 * The Global Accelerator rules the lab enforces, each cited where it is enforced:
 * - `region`: the API answers only in us-west-2.
 * - `inProgress`: every change, deletes of listeners and endpoint groups included, is a deployment.
 * - `transaction`: UpdateAccelerator / DeleteAccelerator are refused while IN_PROGRESS.
 * - `dependents`: delete only disabled accelerators without listeners, listeners without groups.
 * - `endpoints`: dual-stack endpoints and the Regions endpoints may be in.
 * - `idempotency`: the same IdempotencyToken with other parameters is refused.
 * @example
 * await ga.configure({ rules: Object.fromEntries(GA_RULE_NAMES.map((r) => [r, false])) })
 */
export const GA_RULE_NAMES = [
  'region',
  'inProgress',
  'transaction',
  'dependents',
  'endpoints',
  'idempotency',
] as const

/** One of the lab's Global Accelerator rules. */
export type GaRuleName = (typeof GA_RULE_NAMES)[number]

/** Everything a scope can set for Global Accelerator. */
export interface GaSettings {
  rules: Record<GaRuleName, boolean>
  /** How long, by the lab's clock, a change keeps the accelerator IN_PROGRESS (ms). */
  deployMs: number
}

/** A partial change to a scope's Global Accelerator settings. */
export interface GaSettingsPatch {
  rules?: Partial<Record<GaRuleName, boolean>>
  deployMs?: number
}

/**
 * The settings every scope starts from: every rule on, 250 ms per deployment (minutes on AWS;
 * short so tests stay fast, long enough that a client which does not wait is caught).
 * @example
 * defaultGaSettings().deployMs // 250
 */
export function defaultGaSettings(): GaSettings {
  return {
    rules: Object.fromEntries(GA_RULE_NAMES.map((r) => [r, true])) as Record<GaRuleName, boolean>,
    deployMs: 250,
  }
}

/**
 * Settings with a patch applied; unknown rule names and negative times are refused.
 * @example
 * applyGaPatch(defaultGaSettings(), { rules: { transaction: false }, deployMs: 10 })
 */
export function applyGaPatch(settings: GaSettings, patch: GaSettingsPatch): GaSettings {
  for (const name of Object.keys(patch.rules ?? {}))
    if (!(GA_RULE_NAMES as readonly string[]).includes(name))
      throw new Error(
        `unknown Global Accelerator rule '${name}': the rules are ${GA_RULE_NAMES.join(', ')}`,
      )
  const deployMs = patch.deployMs ?? settings.deployMs
  if (!Number.isFinite(deployMs) || deployMs < 0)
    throw new Error(`deployMs must be a number of milliseconds ≥ 0, not ${String(deployMs)}`)
  return { rules: { ...settings.rules, ...patch.rules }, deployMs }
}
