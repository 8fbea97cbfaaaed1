// Splits invalidation paths into CreateInvalidation requests CloudFront accepts, each with a
// CallerReference derived from its content so a retry never invalidates twice.
import { createHash } from 'node:crypto'
import type { CreateInvalidationCommandInput } from '@aws-sdk/client-cloudfront'
import { ValidationError } from '@ferry/core'
import { compareCodeUnits, isWildcardPath } from './paths.js'

/**
 * CloudFront's limit of paths in one invalidation (and in progress per distribution).
 * @example
 * const batches = Math.ceil(paths.length / MAX_PATHS_PER_INVALIDATION)
 */
export const MAX_PATHS_PER_INVALIDATION = 3000
/**
 * CloudFront's limit of wildcard paths in progress per distribution.
 * @example
 * if (wildcards > MAX_WILDCARDS_IN_PROGRESS) await waitForInvalidations()
 */
export const MAX_WILDCARDS_IN_PROGRESS = 15

/** One CreateInvalidation request to make. */
export interface InvalidationBatch {
  callerReference: string
  paths: string[]
}

/**
 * Splits normalised paths into batches of at most 3,000 paths and at most 15 wildcard paths
 * (CloudFront's limits), in sorted order, each with its content-derived CallerReference.
 * @example
 * invalidationBatches({ distributionId: 'E2QWRUHAPOMQZL', paths: ['/index.html'], deployId: 'v42' })
 * // [{ callerReference: 'ferry-…', paths: ['/index.html'] }]
 */
export function invalidationBatches(o: {
  distributionId: string
  paths: readonly string[]
  deployId?: string
}): InvalidationBatch[] {
  const chunks: string[][] = []
  let chunk: string[] = []
  let wildcards = 0
  for (const path of [...o.paths].sort(compareCodeUnits)) {
    const wild = isWildcardPath(path)
    if (
      chunk.length === MAX_PATHS_PER_INVALIDATION ||
      (wild && wildcards === MAX_WILDCARDS_IN_PROGRESS)
    ) {
      chunks.push(chunk)
      chunk = []
      wildcards = 0
    }
    chunk.push(path)
    if (wild) wildcards++
  }
  if (chunk.length) chunks.push(chunk)
  return chunks.map((paths) => ({
    callerReference: callerReference({ ...o, paths }),
    paths,
  }))
}

/**
 * The CallerReference of a batch: a hash of the distribution id, the deploy id (if any) and the
 * sorted paths. The same batch always gets the same reference, so CloudFront (and ferry's own
 * check) treats a retry as the same invalidation. Pass a new `deployId` for each deploy, or the
 * same paths are never invalidated again.
 * @example
 * callerReference({ distributionId: 'E2QWRUHAPOMQZL', paths: ['/index.html'], deployId: 'v42' })
 */
export function callerReference(o: {
  distributionId: string
  paths: readonly string[]
  deployId?: string
}): string {
  const sorted = [...o.paths].sort(compareCodeUnits).join('\n')
  const hash = createHash('sha256')
    .update(`${o.distributionId}\0${o.deployId ?? ''}\0${sorted}`)
    .digest('hex')
  return `ferry-${hash.slice(0, 48)}`
}

/**
 * The CreateInvalidation input for a batch.
 * @example
 * cf.send(new CreateInvalidationCommand(createInvalidationInput('E2QWRUHAPOMQZL', batch)))
 */
export function createInvalidationInput(
  distributionId: string,
  batch: InvalidationBatch,
): CreateInvalidationCommandInput {
  return {
    DistributionId: distributionId,
    InvalidationBatch: {
      CallerReference: batch.callerReference,
      Paths: { Quantity: batch.paths.length, Items: [...batch.paths] },
    },
  }
}

/**
 * A deploy id as ferry accepts it: 1–128 printable characters. It is hashed, never sent.
 * @example
 * deployIdOf('release-2024-06-01') // 'release-2024-06-01'
 */
export function deployIdOf(value: unknown, field = 'deployId'): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(value))
    throw new ValidationError({
      field,
      value,
      allowed: '1 to 128 printable ASCII characters without spaces, e.g. a release id or commit',
    })
  return value
}
