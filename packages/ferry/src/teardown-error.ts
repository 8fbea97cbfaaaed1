// A teardown that could not remove everything: it went on past every failure, so the error
// carries both what was deleted and, per region and part, what could not be and why.
import { FerryError, isFerryError } from '@ferry/core'
import type { TeardownReport } from './teardown.js'

/** The part of a teardown that failed in a region. */
export type TeardownPart = 'accelerators' | 'images' | 'ec2'

/** One region's part that could not be torn down, with the error it met. */
export interface TeardownFailure {
  region: string
  part: TeardownPart
  error: Error
}

/**
 * Some regions (or parts) of a teardown failed; every other one was still torn down. `report`
 * holds what was deleted, `failures` what was not. Retryable when every failure is.
 * @example
 * try { await teardown(runId, { aws }) } catch (e) {
 *   if (TeardownError.is(e)) for (const f of e.failures) console.error(f.region, f.part, f.error.message)
 * }
 */
export class TeardownError extends FerryError {
  override name = 'TeardownError'
  readonly runId: string
  readonly failures: readonly TeardownFailure[]
  readonly report: TeardownReport

  constructor(o: { runId: string; failures: TeardownFailure[]; report: TeardownReport }) {
    const byRegion = new Map<string, TeardownFailure[]>()
    for (const f of o.failures) byRegion.set(f.region, [...(byRegion.get(f.region) ?? []), f])
    const list = [...byRegion].map(
      ([region, fs]) => `${region} (${fs.map((f) => f.part).join(', ')}): ${fs[0]!.error.message}`,
    )
    super(
      'INCOMPLETE',
      `Teardown of run ${o.runId} left resources behind in ${list.join('; ')}. Everything else was deleted; fix the cause (e.g. opt in to the region) and run teardown again: it is safe to repeat.`,
      {
        cause: o.failures[0]?.error,
        retryable: o.failures.every((f) => FerryError.is(f.error) && f.error.retryable),
      },
    )
    this.runId = o.runId
    this.failures = o.failures
    this.report = o.report
  }

  static override is(value: unknown): value is TeardownError {
    return isFerryError(value, 'INCOMPLETE') && (value as Error).name === 'TeardownError'
  }
}
