import { ValidationError } from '@ferry/core'
import { describe, expect, test } from 'vitest'
import {
  checkPublicAllowed,
  checkShareInput,
  launchPermissionInput,
  volumePermissionInputs,
} from './share-input.js'

const imageId = 'ami-0123456789abcdef0'

describe('share inputs', () => {
  test('account ids: 12 digits, distinct; public only when exactly true', () => {
    expect(checkShareInput({ imageId, accountIds: ['123456789012'] })).toEqual({
      accountIds: ['123456789012'],
      public: false,
    })
    expect(() => checkShareInput({ imageId, accountIds: ['12345'] })).toThrow(/accountIds\[0\]/)
    expect(() =>
      checkShareInput({ imageId, accountIds: ['123456789012', '123456789012'] }),
    ).toThrow(/each account id once/)
    expect(() => checkShareInput({ imageId })).toThrow(/at least one account id, or public: true/)
    expect(() => checkShareInput({ imageId, public: 'yes' as never })).toThrow(
      /explicit public: true/,
    )
    expect(checkShareInput({ imageId, public: true })).toEqual({ accountIds: [], public: true })
  })

  test('public + encrypted is refused with a message that says what to do', () => {
    expect(() => checkPublicAllowed({ imageId, encrypted: true }, true)).toThrow(ValidationError)
    expect(() => checkPublicAllowed({ imageId, encrypted: true }, true)).toThrow(
      /encrypted AMIs cannot be public; share it with accountIds/,
    )
    expect(() => checkPublicAllowed({ imageId, encrypted: true }, false)).not.toThrow()
    expect(() => checkPublicAllowed({ imageId, encrypted: false }, true)).not.toThrow()
  })

  test('launch permission and snapshot permission inputs', () => {
    expect(
      launchPermissionInput(imageId, { accountIds: ['123456789012'], public: true }, 'Add'),
    ).toEqual({
      ImageId: imageId,
      LaunchPermission: { Add: [{ UserId: '123456789012' }, { Group: 'all' }] },
    })
    expect(
      launchPermissionInput(imageId, { accountIds: ['123456789012'], public: false }, 'Remove'),
    ).toEqual({
      ImageId: imageId,
      LaunchPermission: { Remove: [{ UserId: '123456789012' }] },
    })
    expect(volumePermissionInputs(['snap-1', 'snap-2'], ['123456789012'], 'Add')).toEqual([
      {
        SnapshotId: 'snap-1',
        Attribute: 'createVolumePermission',
        OperationType: 'add',
        UserIds: ['123456789012'],
      },
      {
        SnapshotId: 'snap-2',
        Attribute: 'createVolumePermission',
        OperationType: 'add',
        UserIds: ['123456789012'],
      },
    ])
    // Public AMIs never make their snapshots public.
    expect(volumePermissionInputs(['snap-1'], [], 'Add')).toEqual([])
  })
})
