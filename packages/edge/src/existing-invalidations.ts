// Finds invalidations a distribution already has for given CallerReferences. CloudFront itself
// answers a repeated CallerReference with the earlier invalidation; moto (the lab) does not, and
// the check also saves a create call on a re-run. ListInvalidations summaries carry no
// CallerReference, so recent invalidations are read back one by one.
import type { CloudFrontClient, InvalidationSummary } from '@aws-sdk/client-cloudfront'
import { AwsError, callAws, type EventSink, type StepEnv } from '@ferry/core'
import { awsPages } from '@ferry/core'
import { cloudFrontSdk } from './clients.js'

/** An invalidation found for a CallerReference. */
export interface ExistingInvalidation {
  id: string
  status: string
}

/**
 * The journal key under which a step records the invalidation made for a CallerReference.
 * @example
 * env.recorded(journalKey('ferry-…'))
 */
export const journalKey = (callerReference: string) => `invalidation:${callerReference}`

// At most this many summaries are listed (10 pages): enough to find a retry of this deploy.
const MAX_LISTED = 1000

/**
 * Looks up each CallerReference: first in the run's journal (an id recorded by an earlier
 * attempt, confirmed with GetInvalidation), then among the `lookback` most recent invalidations.
 * @example
 * const found = await findExistingInvalidations(cf, { distributionId, references: ['ferry-…'], lookback: 10 })
 */
export async function findExistingInvalidations(
  cf: CloudFrontClient,
  o: {
    distributionId: string
    references: readonly string[]
    lookback: number
    journal?: Pick<StepEnv, 'recorded'>
    onEvent?: EventSink
  },
): Promise<Map<string, ExistingInvalidation>> {
  const sdk = await cloudFrontSdk()
  const found = new Map<string, ExistingInvalidation>()
  const get = async (id: string) => {
    try {
      const out = await callAws(
        { service: 'CloudFront', operation: 'GetInvalidation', onEvent: o.onEvent },
        () => cf.send(new sdk.GetInvalidationCommand({ DistributionId: o.distributionId, Id: id })),
      )
      return out.Invalidation
    } catch (error) {
      if (AwsError.is(error) && error.awsCode === 'NoSuchInvalidation') return undefined
      throw error
    }
  }
  const wanted = new Set(o.references)
  const keep = (ref: string | undefined, id: string | undefined, status: string | undefined) => {
    if (ref && id && wanted.has(ref) && !found.has(ref))
      found.set(ref, { id, status: status ?? '' })
  }
  for (const ref of o.references) {
    const id = o.journal?.recorded(journalKey(ref))
    const inv = id ? await get(id) : undefined
    keep(inv?.InvalidationBatch?.CallerReference, inv?.Id, inv?.Status)
  }
  if (found.size === wanted.size || o.lookback === 0) return found
  for (const summary of await recent(cf, o, sdk)) {
    const inv = await get(summary.Id!)
    keep(inv?.InvalidationBatch?.CallerReference, inv?.Id, inv?.Status)
    if (found.size === wanted.size) break
  }
  return found
}

async function recent(
  cf: CloudFrontClient,
  o: { distributionId: string; lookback: number; onEvent?: EventSink },
  sdk: Awaited<ReturnType<typeof cloudFrontSdk>>,
): Promise<InvalidationSummary[]> {
  const pages = sdk.paginateListInvalidations(
    { client: cf, pageSize: 100 },
    { DistributionId: o.distributionId },
  )
  const where = { service: 'CloudFront', operation: 'ListInvalidations', onEvent: o.onEvent }
  const all: InvalidationSummary[] = []
  for await (const page of awsPages(where, pages)) {
    all.push(...(page.InvalidationList?.Items ?? []).filter((s) => s.Id))
    if (all.length >= MAX_LISTED) break
  }
  // Newest first, whatever order the service lists them in.
  const time = (s: InvalidationSummary) => s.CreateTime?.getTime() ?? 0
  return all.sort((a, b) => time(b) - time(a)).slice(0, o.lookback)
}
