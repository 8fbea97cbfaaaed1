import { describe, expect, test } from 'vitest'
import { AwsError, ValidationError } from './errors.js'
import {
  awsClientConfig,
  awsPages,
  callAws,
  dryRun,
  ferryTags,
  isAwsCode,
  runFilters,
  toAwsError,
} from './aws.js'

describe('AWS config', () => {
  test('region, endpoint override, retry settings; credentials left to the default chain', () => {
    expect(awsClientConfig({ region: 'ap-south-1' })).toEqual({
      region: 'ap-south-1',
      maxAttempts: 5,
      retryMode: 'standard',
    })
    expect(
      awsClientConfig(
        {
          region: 'ap-south-1',
          endpoint: 'http://127.0.0.1:5000',
          retryMode: 'adaptive',
          maxAttempts: 2,
        },
        'us-west-2',
      ),
    ).toEqual({
      region: 'us-west-2',
      endpoint: 'http://127.0.0.1:5000',
      maxAttempts: 2,
      retryMode: 'adaptive',
    })
    expect(() => awsClientConfig({ region: 'mumbai' })).toThrow(ValidationError)
    // The shape of a region but not one AWS serves: refused before a client could dial it.
    expect(() => awsClientConfig({ region: 'us-east-9' })).toThrow(ValidationError)
  })

  test('SDK errors map to AwsError with request id and retryability', () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'RequestLimitExceeded',
      $fault: 'client',
      $metadata: { httpStatusCode: 503, requestId: 'abc-123' },
    })
    const e = toAwsError(throttled, { service: 'EC2', operation: 'RunInstances' })
    expect(AwsError.is(e) && [e.awsCode, e.requestId, e.httpStatus, e.retryable, e.cause]).toEqual([
      'RequestLimitExceeded',
      'abc-123',
      503,
      true,
      throttled,
    ])
    const denied = Object.assign(new Error('not allowed'), {
      name: 'UnauthorizedOperation',
      $fault: 'client',
      $metadata: { httpStatusCode: 403, requestId: 'r2' },
    })
    expect(toAwsError(denied, { service: 'EC2', operation: 'RunInstances' }).retryable).toBe(false)
    const retryableFlag = Object.assign(new Error('x'), {
      name: 'Weird',
      $retryable: {},
      $metadata: {},
    })
    expect(toAwsError(retryableFlag, { service: 'S', operation: 'O' }).retryable).toBe(true)
  })

  test('callAws passes results through and maps failures', async () => {
    expect(await callAws({ service: 'EC2', operation: 'X' }, async () => 42)).toBe(42)
    await expect(
      callAws({ service: 'EC2', operation: 'X' }, () =>
        Promise.reject(
          Object.assign(new Error('m'), { name: 'InvalidAMIID.NotFound', $metadata: {} }),
        ),
      ),
    ).rejects.toMatchObject({
      code: 'AWS',
      awsCode: 'InvalidAMIID.NotFound',
      operation: 'X',
    })
  })

  test('ferryTags', () => {
    expect(ferryTags({ runId: 'r1', step: 'launch', name: 'web', extra: { team: 'a' } })).toEqual([
      { Key: 'Name', Value: 'web' },
      { Key: 'ferry:run', Value: 'r1' },
      { Key: 'ferry:step', Value: 'launch' },
      { Key: 'team', Value: 'a' },
    ])
  })
})

describe('awsPages', () => {
  test('yields every page and maps a failing page to AwsError', async () => {
    async function* pages() {
      yield { Items: [1, 2] }
      yield { Items: [3] }
      throw Object.assign(new Error('slow down'), {
        name: 'Throttling',
        $metadata: { requestId: 'p3' },
      })
    }
    const seen: number[] = []
    const events: string[] = []
    const run = async () => {
      for await (const page of awsPages(
        {
          service: 'CloudFront',
          operation: 'ListDistributions',
          onEvent: (e) => events.push(e.type),
        },
        pages(),
      ))
        seen.push(...page.Items)
    }
    await expect(run()).rejects.toMatchObject({
      code: 'AWS',
      awsCode: 'Throttling',
      requestId: 'p3',
      retryable: true,
    })
    expect(seen).toEqual([1, 2, 3])
    expect(events).toEqual(['aws:call', 'aws:call', 'aws:call'])
  })
})

describe('runFilters', () => {
  test('filters by run, optionally step, plus extras', () => {
    expect(runFilters({ runId: 'r1' })).toEqual([{ Name: 'tag:ferry:run', Values: ['r1'] }])
    expect(runFilters({ runId: 'r1', step: 'launch' }, { 'volume-id': 'vol-1' })).toEqual([
      { Name: 'tag:ferry:run', Values: ['r1'] },
      { Name: 'tag:ferry:step', Values: ['launch'] },
      { Name: 'volume-id', Values: ['vol-1'] },
    ])
  })
})

describe('dryRun and isAwsCode', () => {
  const sdkError = (name: string) =>
    Object.assign(new Error(`${name} happened`), {
      name,
      $metadata: { requestId: 'q1', httpStatusCode: 412 },
    })

  test('DryRunOperation means allowed; a permission error names the IAM action; others warn', async () => {
    const warnings: string[] = []
    const onEvent = (e: { type: string; message?: string }) =>
      void (e.type === 'warning' && warnings.push(e.message!))
    await expect(
      dryRun(() => Promise.reject(sdkError('DryRunOperation')), { operation: 'RunInstances' }),
    ).resolves.toBeUndefined()
    await expect(
      dryRun(() => Promise.reject(sdkError('UnauthorizedOperation')), {
        operation: 'RunInstances',
      }),
    ).rejects.toSatisfy(
      (e) =>
        AwsError.is(e) &&
        e.awsCode === 'UnauthorizedOperation' &&
        e.message.includes('ec2:RunInstances') &&
        e.requestId === 'q1',
    )
    await dryRun(() => Promise.reject(sdkError('InvalidAMIID.NotFound')), {
      operation: 'RunInstances',
      onEvent,
    })
    expect(warnings).toEqual([
      'preflight could not prove ec2:RunInstances is allowed: EC2 RunInstances failed with InvalidAMIID.NotFound: InvalidAMIID.NotFound happened (request id q1)',
    ])
  })

  test('isAwsCode matches codes, and NotFound matches any *NotFound', () => {
    const e = toAwsError(sdkError('InvalidSnapshot.NotFound'), { service: 'EC2', operation: 'X' })
    expect([
      isAwsCode(e, 'NotFound'),
      isAwsCode(e, 'InvalidSnapshot.NotFound'),
      isAwsCode(e, 'Throttling'),
      isAwsCode(new Error('x'), 'NotFound'),
    ]).toEqual([true, true, false, false])
  })
})
