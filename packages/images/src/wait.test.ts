// The image and volume waiters poll with core's waitFor: states moto never produces (an AMI
// that failed, an errored volume) come from a scripted client, and time is a fake clock.
import { AwsError, TimeoutError } from '@ferry/core'
import { describe, expect, test } from 'vitest'
import { fakeClock, scriptedClient } from '../test/fakes.js'
import { waitForImages, waitForVolume } from './wait.js'

const imageId = 'ami-0123456789abcdef0'
const volumeId = 'vol-0123456789abcdef0'

/** Each call gets the next scripted answer (a value, or an error to throw); the last repeats. */
const scripted = (answers: unknown[]) =>
  scriptedClient((_, n) => answers[Math.min(n, answers.length) - 1])

const sdkError = (name: string, status: number, extra: object = {}) =>
  Object.assign(new Error(`${name} from AWS`), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'req-1' },
    ...extra,
  })

const image = (State: string, StateReason?: { Code: string; Message: string }) => ({
  Images: [{ ImageId: imageId, State, ...(StateReason ? { StateReason } : {}) }],
})

describe('waitForImages', () => {
  test.each(['failed', 'error', 'invalid', 'deregistered', 'disabled'])(
    'an AMI in %s fails at once with its StateReason',
    async (state) => {
      const reason = { Code: 'Client.InvalidSnapshot', Message: 'snapshot is corrupt' }
      const { client, calls } = scripted([image('pending'), image(state, reason)])
      const error = await waitForImages(client, [imageId], {
        maxWaitTime: 3000,
        clock: fakeClock(),
      }).catch((e: unknown) => e)
      expect(AwsError.is(error)).toBe(true)
      expect(error).toMatchObject({ awsCode: 'Client.InvalidSnapshot' })
      expect((error as Error).message).toContain(`${imageId} is ${state}: snapshot is corrupt`)
      expect(calls).toEqual(['DescribeImagesCommand', 'DescribeImagesCommand'])
    },
  )

  test.each([
    ['AuthFailure', 401],
    ['UnauthorizedOperation', 403],
    ['ExpiredToken', 400],
  ])('%s surfaces at once, with its cause', async (code, status) => {
    const cause = sdkError(code, status)
    const { client, calls } = scripted([cause])
    const error = await waitForImages(client, [imageId], {
      maxWaitTime: 3000,
      clock: fakeClock(),
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ awsCode: code, cause })
    expect(calls).toHaveLength(1)
  })

  test('throttling is "not yet"; a timeout keeps the last error as its cause', async () => {
    const { client } = scripted([image('pending'), sdkError('RequestLimitExceeded', 503)])
    const error = await waitForImages(client, [imageId], {
      maxWaitTime: 60_000,
      clock: fakeClock(),
    }).catch((e: unknown) => e)
    expect(TimeoutError.is(error)).toBe(true)
    expect((error as TimeoutError).cause).toMatchObject({ awsCode: 'RequestLimitExceeded' })
  })

  test('a NotFound before the first sighting is a new image not visible yet', async () => {
    const { client, calls } = scripted([
      sdkError('InvalidAMIID.NotFound', 400),
      image('pending'),
      image('available'),
    ])
    const [done] = await waitForImages(client, [imageId], { clock: fakeClock() })
    expect(done).toMatchObject({ ImageId: imageId, State: 'available' })
    expect(calls).toHaveLength(3)
  })

  test('an answer without the image, after it was seen, means it is gone: at once', async () => {
    const { client, calls } = scripted([image('pending'), { Images: [] }])
    const error = await waitForImages(client, [imageId], { clock: fakeClock() }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ awsCode: 'InvalidAMIID.NotFound' })
    expect(calls).toHaveLength(2)
  })

  test('a NotFound after it was seen means it is gone: at once', async () => {
    const { client, calls } = scripted([image('pending'), sdkError('InvalidAMIID.NotFound', 400)])
    const error = await waitForImages(client, [imageId], { clock: fakeClock() }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ awsCode: 'InvalidAMIID.NotFound' })
    expect(calls).toHaveLength(2)
  })
})

describe('waitForVolume', () => {
  const volume = (State: string) => ({ Volumes: [{ VolumeId: volumeId, State }] })

  test('a volume in error fails at once', async () => {
    const { client, calls } = scripted([volume('creating'), volume('error')])
    const error = await waitForVolume(client, volumeId, {
      maxWaitTime: 3000,
      clock: fakeClock(),
    }).catch((e: unknown) => e)
    expect(AwsError.is(error) && error.message).toMatch(/volume vol-0123456789abcdef0 is error/)
    expect(calls).toHaveLength(2)
  })

  test('AccessDenied surfaces at once, with its cause', async () => {
    const cause = sdkError('UnauthorizedOperation', 403)
    const { client, calls } = scripted([cause])
    const error = await waitForVolume(client, volumeId, {
      maxWaitTime: 3000,
      clock: fakeClock(),
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ awsCode: 'UnauthorizedOperation', cause })
    expect(calls).toHaveLength(1)
  })

  test('NotFound of the new volume, then creating, then available', async () => {
    const { client } = scripted([
      sdkError('InvalidVolume.NotFound', 400),
      volume('creating'),
      volume('available'),
    ])
    await expect(waitForVolume(client, volumeId, { clock: fakeClock() })).resolves.toBeUndefined()
  })
})
