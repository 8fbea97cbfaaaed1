// What moto cannot show: its invalidations are COMPLETED at once and it enforces no in-progress
// limit. CloudFront is mocked here (aws-sdk-client-mock) only for those states: an invalidation
// that takes a while, the SDK waiter, and TooManyInvalidationsInProgress between batches.
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetInvalidationCommand,
  TooManyInvalidationsInProgress,
  type CreateInvalidationCommandInput,
} from '@aws-sdk/client-cloudfront'
import { AwsError, FerryError, TimeoutError, type FerryEvent } from '@ferry/core'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { invalidate } from '../src/index.js'

const DIST = 'E2QWRUHAPOMQZL'
const fast = { minDelayMs: 10, maxDelayMs: 20 }

function fakeCloudFront(o: { completeAfterGets: number; tooManyOnce?: boolean }) {
  const cf = new CloudFrontClient({ region: 'us-east-1' })
  const mock = mockClient(cf)
  const gets = new Map<string, number>()
  const log: string[] = []
  let created = 0
  let refused = false
  mock.on(CreateInvalidationCommand).callsFake((input: CreateInvalidationCommandInput) => {
    if (o.tooManyOnce && created === 1 && !refused) {
      refused = true
      log.push('Create:refused')
      throw new TooManyInvalidationsInProgress({
        message: 'Processing your request',
        $metadata: {},
      })
    }
    const id = `I${++created}`
    log.push(`Create:${id}:${input.InvalidationBatch?.Paths?.Quantity}`)
    return {
      Invalidation: { Id: id, Status: 'InProgress', InvalidationBatch: input.InvalidationBatch },
    }
  })
  mock.on(GetInvalidationCommand).callsFake((input: { Id: string }) => {
    const n = (gets.get(input.Id) ?? 0) + 1
    gets.set(input.Id, n)
    log.push(`Get:${input.Id}`)
    const Status = n >= o.completeAfterGets ? 'Completed' : 'InProgress'
    return { Invalidation: { Id: input.Id, Status } }
  })
  return { cf, mock, log }
}

let restore: (() => void) | undefined
afterEach(() => restore?.())

describe('invalidate: waiting (mocked CloudFront)', () => {
  it('waits with the SDK waiter until Completed, reporting each poll', async () => {
    const { cf, mock, log } = fakeCloudFront({ completeAfterGets: 3 })
    restore = () => mock.restore()
    const events: FerryEvent[] = []
    const result = await invalidate(
      { distribution: DIST, paths: ['/index.html'], deployId: 'v1', wait: true, lookback: 0 },
      { cloudFront: cf, poll: fast, onEvent: (e) => events.push(e) },
    )
    expect(result.completed).toBe(true)
    expect(result.batches[0]!.status).toBe('Completed')
    expect(log).toEqual(['Create:I1:1', 'Get:I1', 'Get:I1', 'Get:I1'])
    const progress = events.filter((e) => e.type === 'wait:progress')
    expect(progress.map((e) => e.type === 'wait:progress' && [e.attempt, e.state])).toEqual([
      [1, 'InProgress'],
      [2, 'InProgress'],
      [3, 'Completed'],
    ])
    expect(progress[0]).toMatchObject({ what: 'CloudFront invalidation I1 Completed' })
  })

  it('does not wait unless asked', async () => {
    const { cf, mock, log } = fakeCloudFront({ completeAfterGets: 3 })
    restore = () => mock.restore()
    const result = await invalidate(
      { distribution: DIST, paths: ['/x'], deployId: 'v1', lookback: 0 },
      { cloudFront: cf },
    )
    expect(result.completed).toBe(false)
    expect(log).toEqual(['Create:I1:1'])
  })

  it('throws a TimeoutError naming the invalidation and its last state', async () => {
    const { cf, mock } = fakeCloudFront({ completeAfterGets: Infinity })
    restore = () => mock.restore()
    const error = await invalidate(
      {
        distribution: DIST,
        paths: ['/x'],
        deployId: 'v1',
        wait: true,
        maxWaitTime: 1000,
        lookback: 0,
      },
      { cloudFront: cf, poll: fast },
    ).catch((e) => e)
    expect(TimeoutError.is(error)).toBe(true)
    expect(error).toMatchObject({
      what: 'CloudFront invalidation I1 Completed',
      lastState: 'InProgress',
    })
  })

  it('stops waiting when aborted', async () => {
    const { cf, mock } = fakeCloudFront({ completeAfterGets: Infinity })
    restore = () => mock.restore()
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const error = await invalidate(
      { distribution: DIST, paths: ['/x'], deployId: 'v1', wait: true, lookback: 0 },
      { cloudFront: cf, poll: fast, signal: controller.signal },
    ).catch((e) => e)
    expect(FerryError.is(error) && error.code).toBe('ABORTED')
  })

  it('when CloudFront refuses a batch for the in-progress limit, waits for the earlier batch and sends it again', async () => {
    const { cf, mock, log } = fakeCloudFront({ completeAfterGets: 2, tooManyOnce: true })
    restore = () => mock.restore()
    const paths = Array.from({ length: 3500 }, (_, i) => `/f/${String(i).padStart(4, '0')}`)
    const result = await invalidate(
      { distribution: DIST, paths, deployId: 'v1', lookback: 0 },
      { cloudFront: cf, poll: fast },
    )
    expect(log).toEqual(['Create:I1:3000', 'Create:refused', 'Get:I1', 'Get:I1', 'Create:I2:500'])
    expect(result.ids).toEqual(['I1', 'I2'])
    expect(result.chargedPaths).toBe(3500)
  })

  it('passes the in-progress refusal on when none of its own batches is pending', async () => {
    const cf = new CloudFrontClient({ region: 'us-east-1' })
    const mock = mockClient(cf)
    restore = () => mock.restore()
    mock
      .on(CreateInvalidationCommand)
      .rejects(
        new TooManyInvalidationsInProgress({ message: 'Processing your request', $metadata: {} }),
      )
    const error = await invalidate(
      { distribution: DIST, paths: ['/x'], deployId: 'v1', lookback: 0 },
      { cloudFront: cf },
    ).catch((e) => e)
    expect(AwsError.is(error) && error.awsCode).toBe('TooManyInvalidationsInProgress')
    expect(mock.commandCalls(CreateInvalidationCommand)).toHaveLength(1)
  })
})
