// The pipeline step around `invalidate`: same implementation, the run's clients and journal.
import { defineStep, type PlanEntry, type Step } from '@ferry/core'
import { cloudFrontClient } from './clients.js'
import { invalidate } from './invalidate.js'
import { invalidationRequests, planInvalidation, type InvalidateInput } from './invalidate-plan.js'

/** What the step adds to the context. */
export interface InvalidationOutput {
  invalidation: { distributionId: string; ids: string[]; paths: string[]; chargedPaths: number }
}

/**
 * A step that invalidates CloudFront paths; the deploy id defaults to the run id, so a re-run of
 * the same run reuses its invalidations and the next run invalidates again. Input is checked
 * when the step is created.
 * @example
 * pipeline({ aws: { region: 'eu-west-1' } })
 *   .use(invalidateStep({ distribution: 'www.example.com', paths: ['/*'], wait: true }))
 */
export function invalidateStep(input: InvalidateInput): Step<object, InvalidationOutput> {
  planInvalidation(input) // refuse bad input when the pipeline is built, not mid-run
  return defineStep<object, InvalidationOutput>({
    name: 'invalidate',
    async run(_ctx, env) {
      const result = await invalidate(input, {
        cloudFront: await cloudFrontClient({ env }),
        onEvent: env.onEvent,
        signal: env.signal,
        runId: env.runId,
        journal: env,
      })
      const { distributionId, ids, paths, chargedPaths } = result
      return { invalidation: { distributionId, ids, paths, chargedPaths } }
    },
    plan(_ctx, env) {
      const plan = planInvalidation(input, { runId: env.runId })
      const entries: PlanEntry[] = []
      let id = plan.ref.kind === 'id' ? plan.ref.id : undefined
      if (plan.ref.kind === 'domain') {
        entries.push({
          kind: 'aws',
          service: 'CloudFront',
          operation: 'ListDistributions',
          input: {},
        })
        id = `{{distribution:${plan.ref.domain}}}`
      }
      for (const { input: request } of invalidationRequests(plan, id!)) {
        // The CallerReference hashes the distribution id, unknown until the lookup runs.
        if (plan.ref.kind === 'domain')
          request.InvalidationBatch!.CallerReference = '{{callerReference}}'
        entries.push({
          kind: 'aws',
          service: 'CloudFront',
          operation: 'CreateInvalidation',
          input: request,
        })
      }
      if (plan.wait)
        entries.push({
          kind: 'note',
          text: 'Wait until every invalidation is Completed (GetInvalidation).',
        })
      return entries
    },
  })
}
