// Everything `invalidate` decides before it talks to CloudFront: checked input, the final path
// list and, once the distribution id is known, the exact CreateInvalidation inputs.
import type { CreateInvalidationCommandInput } from '@aws-sdk/client-cloudfront'
import { ValidationError } from '@ferry/core'
import {
  createInvalidationInput,
  deployIdOf,
  invalidationBatches,
  type InvalidationBatch,
} from './batches.js'
import { collapsePaths, type CollapseOptions } from './collapse.js'
import { distributionRef, type DistributionRef } from './distribution.js'
import { normalizeInvalidationPaths } from './paths.js'

/** What to invalidate. */
export interface InvalidateInput {
  /** A distribution id, its `dxxxx.cloudfront.net` domain, or one of its aliases. */
  distribution: string
  /** Paths starting with `/`; `*` only at the end; `/*` for everything. */
  paths: readonly string[]
  /** Makes the CallerReference unique to a deploy (a release id, a commit). Default: the run id. */
  deployId?: string
  /** Wait until every invalidation is Completed. Default false. */
  wait?: boolean
  /** How long to wait, in milliseconds. Default 15 minutes. */
  maxWaitTime?: number
  /** Opt-in: collapse crowded directories into one wildcard each (see `collapsePaths`). */
  collapse?: CollapseOptions
  /** How many recent invalidations to read back looking for this batch's CallerReference before creating it (0: trust CloudFront alone). Default 10. */
  lookback?: number
}

/** A checked invalidation request. */
export interface InvalidationPlan {
  ref: DistributionRef
  paths: string[]
  deployId: string | undefined
  wait: boolean
  maxWaitTime: number
  lookback: number
}

/**
 * Checks the input and settles the paths (encoded, de-duplicated, optionally collapsed). Pure:
 * throws a ValidationError naming the field before anything is sent.
 * @example
 * planInvalidation({ distribution: 'www.example.com', paths: ['/index.html'] }, { runId: 'r1' })
 */
export function planInvalidation(
  input: InvalidateInput,
  defaults: { runId?: string } = {},
): InvalidationPlan {
  if (typeof input !== 'object' || input === null)
    throw new ValidationError({ field: 'input', value: input, allowed: 'an object' })
  const ref = distributionRef(input.distribution)
  let paths = normalizeInvalidationPaths(input.paths)
  if (input.collapse !== undefined) paths = collapsePaths(paths, input.collapse)
  return {
    ref,
    paths,
    deployId: deployIdOf(input.deployId) ?? deployIdOf(defaults.runId, 'runId'),
    wait: booleanOf(input.wait ?? false, 'wait'),
    maxWaitTime: positive(input.maxWaitTime ?? 15 * 60_000, 'maxWaitTime', 1000),
    lookback: count(input.lookback ?? 10, 'lookback'),
  }
}

/**
 * The batches and CreateInvalidation inputs of a plan for a known distribution id.
 * @example
 * const [first] = invalidationRequests(plan, 'E2QWRUHAPOMQZL')
 */
export function invalidationRequests(
  plan: InvalidationPlan,
  distributionId: string,
): { batch: InvalidationBatch; input: CreateInvalidationCommandInput }[] {
  return invalidationBatches({ distributionId, paths: plan.paths, deployId: plan.deployId }).map(
    (batch) => ({ batch, input: createInvalidationInput(distributionId, batch) }),
  )
}

function booleanOf(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean')
    throw new ValidationError({ field, value, allowed: 'true or false' })
  return value
}

function positive(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
    throw new ValidationError({
      field,
      value,
      allowed: `a number of milliseconds, at least ${min}`,
    })
  return value
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000)
    throw new ValidationError({ field, value, allowed: 'an integer from 0 to 1000' })
  return value
}
