// Bad input and unsafe requests are refused before any AWS call that changes anything.
import { AwsError, ValidationError } from '@ferry/core'
import { describe, expect, test } from 'vitest'
import {
  copyAmi,
  copyAmiStep,
  createAmi,
  deleteImagesByRun,
  migrateVolume,
  shareAmi,
  shareAmiStep,
  snapshotVolume,
  snapshotVolumeStep,
} from '../src/index.js'
import { dryRun } from '../src/ec2-call.js'
import { scriptedClient } from './fakes.js'

const imageId = 'ami-0123456789abcdef0'

/** A client whose every call fails the test. */
const noCalls = (region = 'us-east-1') =>
  scriptedClient((command) => new Error(`an AWS call was made: ${command}`), region)

/** Answers DescribeImages (and DescribeImageAttribute) with an encrypted AMI; any other call fails. */
const encryptedImageOnly = () =>
  scriptedClient((command) =>
    command === 'DescribeImagesCommand'
      ? {
          Images: [
            {
              ImageId: imageId,
              State: 'available',
              Name: 'web',
              BlockDeviceMappings: [
                {
                  DeviceName: '/dev/xvda',
                  Ebs: { SnapshotId: 'snap-0123456789abcdef0', Encrypted: true },
                },
              ],
            },
          ],
        }
      : new Error(`a changing call was made: ${command}`),
  )

const field = async (p: Promise<unknown>) => {
  const e = await p.catch((error: unknown) => error)
  expect(ValidationError.is(e)).toBe(true)
  return (e as ValidationError).field
}

describe('refused before any call', () => {
  test('unknown or malformed regions', async () => {
    const { client, calls } = noCalls()
    expect(
      await field(copyAmi({ imageId, regions: ['eu-west-1', 'eu-wst-1'] }, { ec2: client })),
    ).toBe('regions[1]')
    expect(await field(copyAmi({ imageId, regions: ['moon-1'] }, { ec2: client }))).toBe(
      'regions[0]',
    )
    expect(
      await field(
        snapshotVolume({ volumeId: 'vol-0123456789abcdef0', region: 'us-east' }, { ec2: client }),
      ),
    ).toBe('region')
    expect(
      await field(deleteImagesByRun({ runId: 'r1', regions: ['US-EAST-1'] }, { ec2: client })),
    ).toBe('regions[0]')
    expect(
      await field(
        migrateVolume(
          {
            volumeId: 'vol-0123456789abcdef0',
            to: { region: 'eu-west-1', availabilityZone: 'us-east-1a' },
          },
          { ec2: client },
        ),
      ),
    ).toBe('to.availabilityZone')
    expect(calls).toEqual([])
  })

  test('bad account ids, a non-boolean public, nothing to share', async () => {
    const { client, calls } = noCalls()
    expect(await field(shareAmi({ imageId, accountIds: ['12345678901'] }, { ec2: client }))).toBe(
      'accountIds[0]',
    )
    expect(
      await field(shareAmi({ imageId, accountIds: ['123456789012', 'alice'] }, { ec2: client })),
    ).toBe('accountIds[1]')
    expect(await field(shareAmi({ imageId, public: 'true' as never }, { ec2: client }))).toBe(
      'public',
    )
    expect(await field(shareAmi({ imageId, accountIds: [] }, { ec2: client }))).toBe('accountIds')
    expect(
      await field(shareAmi({ imageId: 'ami-nope', accountIds: ['123456789012'] }, { ec2: client })),
    ).toBe('imageId')
    expect(calls).toEqual([])
  })

  test('bad ids, names and KMS keys', async () => {
    const { client, calls } = noCalls()
    expect(await field(createAmi({ instanceId: 'i-xyz' }, { ec2: client }))).toBe('instance id')
    expect(
      await field(
        createAmi({ snapshotId: 'snap-0123456789abcdef0', name: 'x;y' }, { ec2: client }),
      ),
    ).toBe('name')
    expect(
      await field(
        copyAmi(
          {
            imageId,
            regions: ['eu-west-1'],
            kmsKeyIds: { 'eu-west-1': 'arn:aws:kms:us-east-1:123456789012:alias/k' },
          },
          { ec2: client },
        ),
      ),
    ).toBe('kmsKeyIds.eu-west-1')
    expect(calls).toEqual([])
  })

  test('step factories check their input when the pipeline is built', () => {
    expect(() => copyAmiStep({ regions: ['eu-west-1', 'nowhere'] })).toThrow(ValidationError)
    expect(() => shareAmiStep({ accountIds: ['1234'] })).toThrow(/accountIds\[0\]/)
    expect(() => snapshotVolumeStep({ device: '/etc/passwd' })).toThrow(/device/)
  })

  test('an injected client for another region is never replaced by a default one', async () => {
    const { client, calls } = noCalls('us-east-1')
    expect(
      await field(
        snapshotVolume({ volumeId: 'vol-0123456789abcdef0', region: 'eu-west-1' }, { ec2: client }),
      ),
    ).toBe('clientFor')
    expect(calls).toEqual([])
  })
})

describe('encrypted AMIs', () => {
  // moto cannot make an encrypted AMI (its images always get a fresh unencrypted snapshot), so
  // the read of the source is answered here; every changing call fails the test.
  test('public + encrypted is refused after the read, before any permission changes', async () => {
    const { client, calls } = encryptedImageOnly()
    const e = await shareAmi({ imageId, public: true }, { ec2: client }).catch(
      (error: unknown) => error,
    )
    expect(ValidationError.is(e) && e.field).toBe('public')
    expect((e as Error).message).toMatch(
      /encrypted AMIs cannot be public; share it with accountIds/,
    )
    expect(calls).toEqual(['DescribeImagesCommand'])
  })

  test('an encrypted source without a key for a destination is refused before copying', async () => {
    const { client, calls } = encryptedImageOnly()
    const e = await copyAmi(
      { imageId, regions: ['eu-west-1', 'ap-south-1'], kmsKeyIds: { 'eu-west-1': 'alias/ami' } },
      { ec2: client, clientFor: () => client },
    ).catch((error: unknown) => error)
    expect(ValidationError.is(e) && e.field).toBe('kmsKeyIds.ap-south-1')
    expect((e as Error).message).toMatch(/the source AMI is encrypted.*useDefaultKey: true/)
    expect(calls).toEqual(['DescribeImagesCommand'])
  })
})

describe('preflight', () => {
  const fail = (name: string) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 403, requestId: 'req-1' } })

  test('DryRunOperation means allowed; UnauthorizedOperation names the missing permission', async () => {
    await expect(
      dryRun('CreateSnapshot', {}, () => Promise.reject(fail('DryRunOperation'))),
    ).resolves.toBeUndefined()
    const e = await dryRun('CopyImage', {}, () =>
      Promise.reject(fail('UnauthorizedOperation')),
    ).catch((error: unknown) => error)
    expect(AwsError.is(e) && e.awsCode).toBe('UnauthorizedOperation')
    expect((e as Error).message).toMatch(/lacks the IAM permission ec2:CopyImage/)
    expect((e as AwsError).requestId).toBe('req-1')
  })

  test('any other answer leaves the permission unproven and warns', async () => {
    const events: { type: string }[] = []
    await dryRun('CreateImage', { onEvent: (ev) => events.push(ev) }, () =>
      Promise.reject(fail('InvalidInstanceID.NotFound')),
    )
    expect(events.filter((ev) => ev.type === 'warning')).toEqual([
      expect.objectContaining({
        type: 'warning',
        message: expect.stringMatching(/could not prove ec2:CreateImage/),
      }),
    ])
  })
})
