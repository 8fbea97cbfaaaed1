// Invalidates CloudFront paths: checks everything first, finds the distribution, reuses an
// invalidation already made for the same content, batches past CloudFront's limits, and waits.
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront'
import { createEmitter, type AwsOptions, type EventSink, type StepEnv } from '@ferry/core'
import { MAX_PATHS_PER_INVALIDATION, MAX_WILDCARDS_IN_PROGRESS } from './batches.js'
import { cloudFrontClient } from './clients.js'
import { findDistribution } from './distribution.js'
import { findExistingInvalidations, journalKey } from './existing-invalidations.js'
import { invalidationRequests, planInvalidation, type InvalidateInput } from './invalidate-plan.js'
import { isCompleted, sendInvalidation } from './invalidation-send.js'
import { waitForInvalidation, type PollDelays } from './invalidation-wait.js'
import { isWildcardPath } from './paths.js'

/** How `invalidate` talks to AWS. */
export interface InvalidateOptions {
  /** An injected client; never replaced. */
  cloudFront?: CloudFrontClient
  aws?: AwsOptions
  onEvent?: EventSink
  signal?: AbortSignal
  /** The default deploy id. */
  runId?: string
  /** A run journal: ids are recorded per CallerReference and found again on a re-run. */
  journal?: Pick<StepEnv, 'record' | 'recorded'>
  /** ListDistributions page size (default: the service's, 100). */
  pageSize?: number
  /** How often to poll while waiting. */
  poll?: PollDelays
}

/** One CreateInvalidation request and what became of it. */
export interface InvalidationBatchResult {
  id: string
  callerReference: string
  paths: string[]
  status: string
  /** True when an invalidation with this CallerReference already existed: nothing was sent or charged. */
  reused: boolean
}

/** What `invalidate` did. */
export interface InvalidationResult {
  distributionId: string
  /** One id per batch, in order. */
  ids: string[]
  /** The paths sent (encoded, de-duplicated, collapsed if asked). */
  paths: string[]
  /** Paths this call submitted, each counting toward the free 1,000 a month (a wildcard counts as one). */
  chargedPaths: number
  batches: InvalidationBatchResult[]
  /** True when every batch is known to be Completed. */
  completed: boolean
}

/**
 * Invalidates paths on a CloudFront distribution (by id, domain or alias). Input is checked
 * before any call. Batches already made for the same content are reused, not sent again.
 * @example
 * const r = await invalidate(
 *   { distribution: 'www.example.com', paths: ['/index.html', '/assets/*'], deployId: 'v42', wait: true },
 *   { aws: { region: 'eu-west-1' }, onEvent: console.log },
 * )
 * console.log(r.ids, `${r.chargedPaths} paths charged`)
 */
export async function invalidate(
  input: InvalidateInput,
  options: InvalidateOptions = {},
): Promise<InvalidationResult> {
  const plan = planInvalidation(input, { runId: options.runId })
  const emit = createEmitter(options.onEvent)
  const onEvent = options.onEvent
  const cf = await cloudFrontClient({ client: options.cloudFront, aws: options.aws })
  const { id: distributionId } = await findDistribution(cf, plan.ref, {
    onEvent,
    pageSize: options.pageSize,
  })
  const requests = invalidationRequests(plan, distributionId)
  if (plan.paths.length > MAX_PATHS_PER_INVALIDATION)
    emit({
      type: 'warning',
      message: `${plan.paths.length} paths on ${distributionId}: CloudFront takes at most ${MAX_PATHS_PER_INVALIDATION} in one invalidation, so they go in ${requests.length} invalidations (a later one may wait for earlier ones: ${MAX_PATHS_PER_INVALIDATION} paths may be in progress per distribution).`,
    })
  const wildcards = plan.paths.filter(isWildcardPath).length
  if (wildcards > MAX_WILDCARDS_IN_PROGRESS)
    emit({
      type: 'warning',
      message: `${wildcards} wildcard paths: CloudFront allows ${MAX_WILDCARDS_IN_PROGRESS} in progress per distribution, so they go in batches that wait for each other.`,
    })
  const existing = await findExistingInvalidations(cf, {
    distributionId,
    references: requests.map((r) => r.batch.callerReference),
    lookback: plan.lookback,
    journal: options.journal,
    onEvent,
  })
  const waitFor = (id: string) =>
    waitForInvalidation(cf, {
      distributionId,
      id,
      maxWaitTime: plan.maxWaitTime,
      poll: options.poll,
      signal: options.signal,
      onEvent,
    })
  const batches: InvalidationBatchResult[] = []
  for (const [i, { batch, input: request }] of requests.entries()) {
    const label = `batch ${i + 1}/${requests.length} (${batch.paths.length} paths)`
    const found = existing.get(batch.callerReference)
    if (found) {
      emit({
        type: 'info',
        message: `Invalidation ${found.id} already exists for ${label} on ${distributionId}: not sent again. Pass a new deployId to invalidate these paths again.`,
      })
      batches.push({
        ...found,
        callerReference: batch.callerReference,
        paths: batch.paths,
        reused: true,
      })
      continue
    }
    const sent = await sendInvalidation(cf, {
      request,
      label,
      earlier: batches,
      waitFor,
      onEvent,
      signal: options.signal,
    })
    await options.journal?.record(journalKey(batch.callerReference), sent.id)
    batches.push({
      ...sent,
      callerReference: batch.callerReference,
      paths: batch.paths,
      reused: false,
    })
    emit({
      type: 'info',
      message: `Invalidation ${sent.id} created on ${distributionId} for ${label}.`,
    })
  }
  if (plan.wait)
    for (const b of batches.filter((b) => !isCompleted(b.status))) {
      await waitFor(b.id)
      b.status = 'Completed'
    }
  const chargedPaths = batches.filter((b) => !b.reused).reduce((n, b) => n + b.paths.length, 0)
  emit({
    type: 'info',
    message: `${chargedPaths} invalidation paths submitted (each counts toward CloudFront's free 1,000 a month; a wildcard counts as one).`,
  })
  return {
    distributionId,
    ids: batches.map((b) => b.id),
    paths: plan.paths,
    chargedPaths,
    batches,
    completed: batches.every((b) => isCompleted(b.status)),
  }
}
