// @ferry/edge: CloudFront invalidations and Global Accelerator (always us-west-2).
export { invalidate } from './invalidate.js'
export type {
  InvalidateOptions,
  InvalidationResult,
  InvalidationBatchResult,
} from './invalidate.js'
export { invalidateStep } from './invalidate-step.js'
export type { InvalidationOutput } from './invalidate-step.js'
export { planInvalidation, invalidationRequests } from './invalidate-plan.js'
export type { InvalidateInput, InvalidationPlan } from './invalidate-plan.js'
export {
  normalizeInvalidationPaths,
  encodeInvalidationPath,
  isWildcardPath,
  MAX_INVALIDATION_PATH_LENGTH,
} from './paths.js'
export { collapsePaths } from './collapse.js'
export type { CollapseOptions } from './collapse.js'
export {
  invalidationBatches,
  callerReference,
  createInvalidationInput,
  deployIdOf,
  MAX_PATHS_PER_INVALIDATION,
  MAX_WILDCARDS_IN_PROGRESS,
} from './batches.js'
export type { InvalidationBatch } from './batches.js'
export { distributionRef, findDistribution } from './distribution.js'
export type { DistributionRef, FoundDistribution } from './distribution.js'
export { findExistingInvalidations } from './existing-invalidations.js'
export type { ExistingInvalidation } from './existing-invalidations.js'
export { waitForInvalidation } from './invalidation-wait.js'
export type { PollDelays } from './invalidation-wait.js'
export { cloudFrontClient, acceleratorClient, GLOBAL_ACCELERATOR_REGION } from './clients.js'
export type { ClientSource } from './clients.js'
