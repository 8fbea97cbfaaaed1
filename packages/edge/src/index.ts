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
export { createAccelerator } from './accelerator-create.js'
export type {
  AcceleratorOptions,
  AcceleratorResult,
  AcceleratorListener,
  AcceleratorEndpointGroup,
} from './accelerator-create.js'
export { deleteAccelerator } from './accelerator-delete.js'
export type { DeleteAcceleratorOptions, DeleteAcceleratorResult } from './accelerator-delete.js'
export { listAccelerators, acceleratorsByRun, deleteAcceleratorsByRun } from './accelerator-list.js'
export type { AcceleratorSummary, ListAcceleratorsOptions } from './accelerator-list.js'
export { createAcceleratorStep } from './accelerator-step.js'
export type { AcceleratorNeeds, AcceleratorOutput } from './accelerator-step.js'
export { acceleratorSpec, acceleratorName } from './accelerator-spec.js'
export type {
  CreateAcceleratorInput,
  ListenerInput,
  ListenerSpec,
  AcceleratorSpec,
} from './accelerator-spec.js'
export { endpointGroupsOf, endpointsFromServers } from './accelerator-endpoints.js'
export {
  ACCELERATOR_ENDPOINT_REGIONS,
  endpointRegion,
  endpointIpAddressType,
} from './accelerator-regions.js'
export type {
  EndpointInput,
  EndpointGroupOptions,
  HealthCheckInput,
  EndpointSpec,
  EndpointGroupSpec,
} from './accelerator-endpoints.js'
export {
  createAcceleratorRequest,
  createListenerRequest,
  createEndpointGroupRequest,
  tokenPurpose,
} from './accelerator-requests.js'
export {
  acceleratorArn,
  describeAccelerator,
  waitForAcceleratorDeployed,
  ipAddressesOf,
} from './accelerator-state.js'
export type { AcceleratorWaitOptions } from './accelerator-state.js'
