// Pure rules for AMI copies: which regions, and how each copy is encrypted.
import type { CopyImageCommandInput } from '@aws-sdk/client-ec2'
import { type Tag, ValidationError, validate } from '@ferry/core'
import { amiName } from './image-facts.js'
import { checkDescription } from './snapshot-input.js'
import { checkTags } from './tags.js'

/** Copy an AMI to other regions. */
export interface CopyAmiInput {
  imageId: string
  /** The source's region. Default: `aws.region`, else the injected client's region. */
  sourceRegion?: string
  /** Destination regions (copied in parallel). */
  regions: string[]
  /** Default: the source AMI's name. */
  name?: string
  description?: string
  /** Encrypt the copies. An encrypted source always gives encrypted copies. */
  encrypted?: boolean
  /** The KMS key (id, alias or ARN in that region) for each destination's encrypted copy. */
  kmsKeyIds?: Record<string, string>
  /** Allow encrypted copies without a key: each region's default EBS key (not shareable). */
  useDefaultKey?: boolean
  tags?: Record<string, string>
}

/** How one destination's copy is encrypted. */
export interface CopyEncryption {
  encrypted: boolean
  kmsKeyId?: string
}

/**
 * Validates the input alone (no AWS facts needed): regions, names, keys.
 * @example
 * checkCopyInput({ imageId: 'ami-0123456789abcdef0', regions: ['eu-west-1'] })
 */
export function checkCopyInput(input: CopyAmiInput): CopyAmiInput {
  validate.amiId(input.imageId, 'imageId')
  if (input.sourceRegion !== undefined) validate.region(input.sourceRegion, 'sourceRegion')
  if (!Array.isArray(input.regions) || input.regions.length === 0)
    throw new ValidationError({
      field: 'regions',
      value: input.regions,
      allowed: 'at least one destination region',
    })
  input.regions.forEach((r, i) => validate.region(r, `regions[${i}]`))
  if (new Set(input.regions).size !== input.regions.length)
    throw new ValidationError({
      field: 'regions',
      value: input.regions,
      allowed: 'each region once',
    })
  if (input.name !== undefined) amiName(input.name)
  if (input.description !== undefined) checkDescription(input.description)
  checkTags(input.tags)
  for (const [region, key] of Object.entries(input.kmsKeyIds ?? {})) {
    if (!input.regions.includes(region))
      throw new ValidationError({
        field: `kmsKeyIds.${region}`,
        value: region,
        allowed: `a key only for a destination region (${input.regions.join(', ')})`,
      })
    kmsKeyIn(key, region)
  }
  return input
}

/**
 * The encryption of each copy. Rule: a copy is encrypted when the source is, when
 * `encrypted: true`, or when a key is given for its region; every encrypted copy needs a
 * `kmsKeyIds[region]` unless `useDefaultKey: true`. An encrypted source cannot be copied
 * unencrypted. Violations are ValidationErrors naming the region, raised before any copy.
 * @example
 * copyEncryption({ encrypted: true }, { imageId, regions: ['eu-west-1'], kmsKeyIds: { 'eu-west-1': 'alias/ami' } })
 */
export function copyEncryption(
  source: { encrypted: boolean },
  input: CopyAmiInput,
): Record<string, CopyEncryption> {
  if (source.encrypted && input.encrypted === false)
    throw new ValidationError({
      field: 'encrypted',
      value: false,
      allowed: 'true (or unset): the source AMI is encrypted and AWS cannot copy it unencrypted',
    })
  const result: Record<string, CopyEncryption> = {}
  for (const region of input.regions) {
    const kmsKeyId = input.kmsKeyIds?.[region]
    const encrypted = source.encrypted || input.encrypted === true || kmsKeyId !== undefined
    if (encrypted && kmsKeyId === undefined && input.useDefaultKey !== true)
      throw new ValidationError({
        field: `kmsKeyIds.${region}`,
        value: undefined,
        allowed: `a KMS key in ${region} for the encrypted copy${source.encrypted ? ' (the source AMI is encrypted)' : ''}, or useDefaultKey: true for ${region}'s default EBS key (aws/ebs, which other accounts cannot use)`,
      })
    result[region] = kmsKeyId ? { encrypted, kmsKeyId } : { encrypted }
  }
  return result
}

/**
 * The CopyImage input for one destination; `ClientToken` makes a retry return the same copy.
 * @example
 * copyImageInput({ imageId: 'ami-1', sourceRegion: 'us-east-1', name: 'web', token: 't', encryption: { encrypted: false }, tags: [] })
 */
export function copyImageInput(o: {
  imageId: string
  sourceRegion: string
  name: string
  description?: string
  token: string
  encryption: CopyEncryption
  tags: Tag[]
}): CopyImageCommandInput {
  return {
    SourceImageId: o.imageId,
    SourceRegion: o.sourceRegion,
    Name: o.name,
    ...(o.description ? { Description: o.description } : {}),
    ClientToken: o.token,
    ...(o.encryption.encrypted ? { Encrypted: true } : {}),
    ...(o.encryption.kmsKeyId ? { KmsKeyId: o.encryption.kmsKeyId } : {}),
    ...(o.tags.length ? { TagSpecifications: [{ ResourceType: 'image', Tags: o.tags }] } : {}),
  }
}

const KEY_ID = /^(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/
const ALIAS = /^alias\/[A-Za-z0-9/_-]{1,250}$/
const ARN =
  /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:(?:key\/(?:mrk-[0-9a-f]{32}|[0-9a-f-]{36})|alias\/[A-Za-z0-9/_-]{1,250})$/

/**
 * A KMS key usable in `region`: a key id, `alias/…`, or a key/alias ARN of that same region
 * (KMS keys are regional: another region's ARN cannot encrypt there).
 * @example
 * kmsKeyIn('arn:aws:kms:eu-west-1:123456789012:alias/ami', 'eu-west-1')
 */
export function kmsKeyIn(key: unknown, region: string, field = `kmsKeyIds.${region}`): string {
  if (typeof key !== 'string' || !(KEY_ID.test(key) || ALIAS.test(key) || ARN.test(key)))
    throw new ValidationError({
      field,
      value: key,
      allowed: 'a KMS key id, alias/NAME, or a key or alias ARN',
    })
  const arnRegion = ARN.exec(key)?.[1]
  if (arnRegion !== undefined && arnRegion !== region)
    throw new ValidationError({
      field,
      value: key,
      allowed: `a KMS key in ${region} (this ARN is in ${arnRegion})`,
    })
  return key
}
