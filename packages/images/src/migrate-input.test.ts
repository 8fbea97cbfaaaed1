import { describe, expect, test } from 'vitest'
import { checkMigrateInput, copySnapshotInput, createVolumeInput } from './migrate-input.js'
import { parseProgress } from './wait.js'

const volumeId = 'vol-0123456789abcdef0'

describe('migration inputs', () => {
  test('target AZ must belong to the target region (default: the source region)', () => {
    expect(
      checkMigrateInput({ volumeId, to: { availabilityZone: 'us-east-1b' } }, 'us-east-1'),
    ).toBe('us-east-1')
    expect(
      checkMigrateInput(
        { volumeId, to: { region: 'eu-west-1', availabilityZone: 'eu-west-1a' } },
        'us-east-1',
      ),
    ).toBe('eu-west-1')
    expect(() =>
      checkMigrateInput(
        { volumeId, to: { region: 'eu-west-1', availabilityZone: 'us-east-1a' } },
        'us-east-1',
      ),
    ).toThrow(/to.availabilityZone/)
    expect(() =>
      checkMigrateInput(
        {
          volumeId,
          to: { region: 'eu-west-1', availabilityZone: 'eu-west-1a' },
          kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:alias/k',
        },
        'us-east-1',
      ),
    ).toThrow(/kmsKeyId/)
    expect(() =>
      checkMigrateInput(
        { volumeId, to: { availabilityZone: 'us-east-1a' }, encrypted: false, kmsKeyId: 'alias/k' },
        'us-east-1',
      ),
    ).toThrow(/no key when encrypted is false/)
    expect(() =>
      checkMigrateInput({ volumeId, to: { availabilityZone: 'us-east-1a' }, iops: 0 }, 'us-east-1'),
    ).toThrow(/iops/)
  })

  test('CopySnapshot and CreateVolume inputs: encrypted gp3, tagged, with a token', () => {
    expect(
      copySnapshotInput({
        snapshotId: 'snap-1',
        sourceRegion: 'us-east-1',
        encrypted: true,
        tags: [{ Key: 'a', Value: 'b' }],
      }),
    ).toEqual({
      SourceSnapshotId: 'snap-1',
      SourceRegion: 'us-east-1',
      Description: 'ferry copy of snap-1 from us-east-1',
      Encrypted: true,
      TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'a', Value: 'b' }] }],
    })
    expect(
      createVolumeInput({
        snapshotId: 'snap-1',
        availabilityZone: 'eu-west-1a',
        token: 't',
        tags: [],
      }),
    ).toEqual({
      SnapshotId: 'snap-1',
      AvailabilityZone: 'eu-west-1a',
      VolumeType: 'gp3',
      Encrypted: true,
      ClientToken: 't',
    })
  })

  test('snapshot progress parsing', () => {
    expect(parseProgress('42%')).toBe(42)
    expect(parseProgress('100%')).toBe(100)
    expect(parseProgress('')).toBeUndefined()
    expect(parseProgress(undefined)).toBeUndefined()
  })
})
