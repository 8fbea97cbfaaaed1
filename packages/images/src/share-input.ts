// Pure rules and inputs for sharing an AMI: launch permissions and snapshot volume permissions.
import type {
  LaunchPermission,
  ModifyImageAttributeCommandInput,
  ModifySnapshotAttributeCommandInput,
} from '@aws-sdk/client-ec2'
import { ValidationError, validate } from '@ferry/core'

/** Who may launch an AMI. */
export interface ShareAmiInput {
  imageId: string
  region?: string
  /** 12-digit AWS account ids. */
  accountIds?: string[]
  /** Make the AMI public. Must be exactly `true`; refused for encrypted AMIs. */
  public?: boolean
  /** Also grant the accounts createVolumePermission on the AMI's snapshots. Default true. */
  snapshots?: boolean
}

/**
 * Validates a share request: valid, distinct account ids and/or an explicit `public: true`.
 * @example
 * checkShareInput({ imageId: 'ami-0123456789abcdef0', accountIds: ['123456789012'] })
 */
export function checkShareInput(input: ShareAmiInput): { accountIds: string[]; public: boolean } {
  validate.amiId(input.imageId, 'imageId')
  if (input.region !== undefined) validate.region(input.region)
  if (input.public !== undefined && typeof input.public !== 'boolean')
    throw new ValidationError({
      field: 'public',
      value: input.public,
      allowed: 'true or false (a public AMI needs an explicit public: true)',
    })
  if (input.snapshots !== undefined && typeof input.snapshots !== 'boolean')
    throw new ValidationError({
      field: 'snapshots',
      value: input.snapshots,
      allowed: 'true or false',
    })
  if (input.accountIds !== undefined && !Array.isArray(input.accountIds))
    throw new ValidationError({
      field: 'accountIds',
      value: input.accountIds,
      allowed: 'an array of 12-digit account ids',
    })
  const accountIds = (input.accountIds ?? []).map((id, i) =>
    validate.accountId(id, `accountIds[${i}]`),
  )
  if (new Set(accountIds).size !== accountIds.length)
    throw new ValidationError({
      field: 'accountIds',
      value: accountIds,
      allowed: 'each account id once',
    })
  if (accountIds.length === 0 && input.public !== true)
    throw new ValidationError({
      field: 'accountIds',
      value: input.accountIds,
      allowed: 'at least one account id, or public: true',
    })
  return { accountIds, public: input.public === true }
}

/**
 * Refuses to make an encrypted AMI public: AWS cannot, and the data is meant to stay private.
 * @example
 * checkPublicAllowed({ imageId: 'ami-1', encrypted: false }, true)
 */
export function checkPublicAllowed(
  image: { imageId: string; encrypted: boolean },
  makePublic: boolean,
): void {
  if (makePublic && image.encrypted)
    throw new ValidationError({
      field: 'public',
      value: true,
      allowed: `false for ${image.imageId}: it is encrypted, and encrypted AMIs cannot be public; share it with accountIds (and grant them the KMS key) instead`,
    })
}

/**
 * The ModifyImageAttribute input that adds or removes launch permissions.
 * @example
 * launchPermissionInput('ami-1', { accountIds: ['123456789012'], public: false }, 'Add')
 */
export function launchPermissionInput(
  imageId: string,
  who: { accountIds: string[]; public: boolean },
  op: 'Add' | 'Remove',
): ModifyImageAttributeCommandInput {
  const permissions: LaunchPermission[] = who.accountIds.map((UserId) => ({ UserId }))
  if (who.public) permissions.push({ Group: 'all' })
  return { ImageId: imageId, LaunchPermission: { [op]: permissions } }
}

/**
 * ModifySnapshotAttribute inputs granting (or revoking) createVolumePermission per snapshot.
 * Snapshots are never made public: a public AMI launches without it.
 * @example
 * volumePermissionInputs(['snap-1'], ['123456789012'], 'Add')
 */
export function volumePermissionInputs(
  snapshotIds: string[],
  accountIds: string[],
  op: 'Add' | 'Remove',
): ModifySnapshotAttributeCommandInput[] {
  if (!accountIds.length) return []
  // The OperationType + UserIds form: AWS takes it as well as CreateVolumePermission, and
  // moto implements only this one.
  return snapshotIds.map((SnapshotId) => ({
    SnapshotId,
    Attribute: 'createVolumePermission',
    OperationType: op === 'Add' ? 'add' : 'remove',
    UserIds: [...accountIds],
  }))
}
