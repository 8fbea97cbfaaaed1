import { ValidationError } from '@ferry/core'
import { describe, expect, test } from 'vitest'
import { checkCopyInput, copyEncryption, copyImageInput, kmsKeyIn } from './copy-input.js'

const imageId = 'ami-0123456789abcdef0'
const regions = ['eu-west-1', 'ap-south-1']
const fieldOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (e) {
    if (ValidationError.is(e)) return e.field
    throw e
  }
  return 'no error'
}

describe('copy encryption rule', () => {
  test('an unencrypted source copies unencrypted by default', () => {
    expect(copyEncryption({ encrypted: false }, { imageId, regions })).toEqual({
      'eu-west-1': { encrypted: false },
      'ap-south-1': { encrypted: false },
    })
  })

  test('an encrypted source needs a key for every destination region', () => {
    expect(
      fieldOf(() =>
        copyEncryption(
          { encrypted: true },
          { imageId, regions, kmsKeyIds: { 'eu-west-1': 'alias/ami' } },
        ),
      ),
    ).toBe('kmsKeyIds.ap-south-1')
    expect(
      copyEncryption(
        { encrypted: true },
        { imageId, regions, kmsKeyIds: { 'eu-west-1': 'alias/ami', 'ap-south-1': 'alias/ami-in' } },
      ),
    ).toEqual({
      'eu-west-1': { encrypted: true, kmsKeyId: 'alias/ami' },
      'ap-south-1': { encrypted: true, kmsKeyId: 'alias/ami-in' },
    })
  })

  test('useDefaultKey allows encrypted copies with the region default key', () => {
    expect(
      copyEncryption({ encrypted: true }, { imageId, regions: ['eu-west-1'], useDefaultKey: true }),
    ).toEqual({
      'eu-west-1': { encrypted: true },
    })
  })

  test('encrypted: true on an unencrypted source follows the same rule', () => {
    expect(
      fieldOf(() =>
        copyEncryption({ encrypted: false }, { imageId, regions: ['eu-west-1'], encrypted: true }),
      ),
    ).toBe('kmsKeyIds.eu-west-1')
  })

  test('a key for one region encrypts only that copy', () => {
    expect(
      copyEncryption(
        { encrypted: false },
        { imageId, regions, kmsKeyIds: { 'ap-south-1': 'alias/k' } },
      ),
    ).toEqual({
      'eu-west-1': { encrypted: false },
      'ap-south-1': { encrypted: true, kmsKeyId: 'alias/k' },
    })
  })

  test('an encrypted source cannot be copied unencrypted', () => {
    expect(
      fieldOf(() =>
        copyEncryption(
          { encrypted: true },
          { imageId, regions, encrypted: false, useDefaultKey: true },
        ),
      ),
    ).toBe('encrypted')
  })
})

describe('copy input checks', () => {
  test('regions: at least one, valid, distinct', () => {
    expect(fieldOf(() => checkCopyInput({ imageId, regions: [] }))).toBe('regions')
    expect(
      fieldOf(() => checkCopyInput({ imageId, regions: ['eu-west-1', 'mars-north-1x'] })),
    ).toBe('regions[1]')
    expect(fieldOf(() => checkCopyInput({ imageId, regions: ['eu-west-1', 'eu-west-1'] }))).toBe(
      'regions',
    )
    expect(fieldOf(() => checkCopyInput({ imageId: 'ami-xyz', regions }))).toBe('imageId')
  })

  test('a key for a region that is not a destination is refused', () => {
    expect(
      fieldOf(() => checkCopyInput({ imageId, regions, kmsKeyIds: { 'us-west-2': 'alias/k' } })),
    ).toBe('kmsKeyIds.us-west-2')
  })

  test('KMS keys: ids, aliases, ARNs of the same region only', () => {
    expect(kmsKeyIn('1234abcd-12ab-34cd-56ef-1234567890ab', 'eu-west-1')).toBe(
      '1234abcd-12ab-34cd-56ef-1234567890ab',
    )
    expect(kmsKeyIn('mrk-1234abcd12ab34cd56ef1234567890ab', 'eu-west-1')).toBe(
      'mrk-1234abcd12ab34cd56ef1234567890ab',
    )
    expect(kmsKeyIn('arn:aws:kms:eu-west-1:123456789012:alias/ami', 'eu-west-1')).toBe(
      'arn:aws:kms:eu-west-1:123456789012:alias/ami',
    )
    expect(() =>
      kmsKeyIn(
        'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        'eu-west-1',
      ),
    ).toThrow(/a KMS key in eu-west-1 \(this ARN is in us-east-1\)/)
    expect(() => kmsKeyIn('my key', 'eu-west-1')).toThrow(ValidationError)
  })

  test('CopyImage input: token, encryption and image tags', () => {
    expect(
      copyImageInput({
        imageId,
        sourceRegion: 'us-east-1',
        name: 'web',
        token: 'tok',
        encryption: { encrypted: true, kmsKeyId: 'alias/k' },
        tags: [{ Key: 'ferry:run', Value: 'r1' }],
      }),
    ).toEqual({
      SourceImageId: imageId,
      SourceRegion: 'us-east-1',
      Name: 'web',
      ClientToken: 'tok',
      Encrypted: true,
      KmsKeyId: 'alias/k',
      TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'ferry:run', Value: 'r1' }] }],
    })
  })
})
