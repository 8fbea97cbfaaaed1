import { idempotencyToken } from '@ferry/core'
import { describe, expect, it } from 'vitest'
import { callerReference } from './batches.js'
import { invalidateStep } from './invalidate-step.js'

const planEnv = (runId: string) => ({
  runId,
  step: 'invalidate',
  aws: {},
  token: (p?: string) => idempotencyToken(runId, 'invalidate', p),
})

describe('invalidateStep plan', () => {
  it('lists the exact CreateInvalidation calls for a distribution id, the run id as deploy id', () => {
    const step = invalidateStep({
      distribution: 'E2QWRUHAPOMQZL',
      paths: ['/b', '/a b'],
      wait: true,
    })
    expect(step.plan!({}, planEnv('run-1'))).toEqual([
      {
        kind: 'aws',
        service: 'CloudFront',
        operation: 'CreateInvalidation',
        input: {
          DistributionId: 'E2QWRUHAPOMQZL',
          InvalidationBatch: {
            CallerReference: callerReference({
              distributionId: 'E2QWRUHAPOMQZL',
              paths: ['/a%20b', '/b'],
              deployId: 'run-1',
            }),
            Paths: { Quantity: 2, Items: ['/a%20b', '/b'] },
          },
        },
      },
      { kind: 'note', text: 'Wait until every invalidation is Completed (GetInvalidation).' },
    ])
  })

  it('looks a domain up first and leaves the id and reference as placeholders', () => {
    const step = invalidateStep({ distribution: 'www.example.com', paths: ['/*'], deployId: 'v2' })
    expect(step.plan!({}, planEnv('run-2'))).toEqual([
      { kind: 'aws', service: 'CloudFront', operation: 'ListDistributions', input: {} },
      {
        kind: 'aws',
        service: 'CloudFront',
        operation: 'CreateInvalidation',
        input: {
          DistributionId: '{{distribution:www.example.com}}',
          InvalidationBatch: {
            CallerReference: '{{callerReference}}',
            Paths: { Quantity: 1, Items: ['/*'] },
          },
        },
      },
    ])
  })

  it('lists one call per batch', () => {
    const paths = Array.from({ length: 3001 }, (_, i) => `/p/${i}`)
    const entries = invalidateStep({ distribution: 'E2QWRUHAPOMQZL', paths }).plan!(
      {},
      planEnv('r'),
    )
    expect(entries.map((e) => e.kind === 'aws' && e.operation)).toEqual([
      'CreateInvalidation',
      'CreateInvalidation',
    ])
  })
})
