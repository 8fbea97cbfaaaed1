import { describe, expect, test } from 'vitest'
import { checkAmiInput, createImageInput, findImageInput, registerImageInput } from './ami-input.js'
import { amiName, defaultAmiName, imageFacts } from './image-facts.js'

const tags = [{ Key: 'ferry:run', Value: 'r1' }]

describe('AMI inputs', () => {
  test('RegisterImage from a snapshot: hvm, ENA, uefi-preferred, gp3 root, IMDSv2 by default', () => {
    expect(
      registerImageInput({ snapshotId: 'snap-1', name: 'web', architecture: 'x86_64' }, tags),
    ).toEqual({
      Name: 'web',
      Architecture: 'x86_64',
      VirtualizationType: 'hvm',
      EnaSupport: true,
      BootMode: 'uefi-preferred',
      RootDeviceName: '/dev/xvda',
      BlockDeviceMappings: [
        {
          DeviceName: '/dev/xvda',
          Ebs: { SnapshotId: 'snap-1', VolumeType: 'gp3', DeleteOnTermination: true },
        },
      ],
      ImdsSupport: 'v2.0',
      TagSpecifications: [{ ResourceType: 'image', Tags: tags }],
    })
    expect(
      registerImageInput(
        {
          snapshotId: 'snap-1',
          name: 'arm',
          architecture: 'arm64',
          bootMode: 'uefi',
          ena: false,
          requireImdsV2: false,
          volumeSize: 20,
          rootDeviceName: '/dev/sda1',
          description: 'd',
        },
        [],
      ),
    ).toEqual({
      Name: 'arm',
      Description: 'd',
      Architecture: 'arm64',
      VirtualizationType: 'hvm',
      EnaSupport: false,
      BootMode: 'uefi',
      RootDeviceName: '/dev/sda1',
      BlockDeviceMappings: [
        {
          DeviceName: '/dev/sda1',
          Ebs: {
            SnapshotId: 'snap-1',
            VolumeType: 'gp3',
            DeleteOnTermination: true,
            VolumeSize: 20,
          },
        },
      ],
    })
  })

  test('CreateImage from an instance: reboots unless noReboot, image tagged at birth', () => {
    expect(createImageInput({ instanceId: 'i-1', name: 'web' }, tags)).toEqual({
      InstanceId: 'i-1',
      Name: 'web',
      NoReboot: false,
      TagSpecifications: [{ ResourceType: 'image', Tags: tags }],
    })
    expect(createImageInput({ instanceId: 'i-1', name: 'web', noReboot: true }, [])).toEqual({
      InstanceId: 'i-1',
      Name: 'web',
      NoReboot: true,
    })
  })

  test('checks: one source, names, enums, sizes', () => {
    expect(() =>
      checkAmiInput({
        instanceId: 'i-0123456789abcdef0',
        snapshotId: 'snap-0123456789abcdef0',
      }),
    ).toThrow(/exactly one/)
    expect(() =>
      checkAmiInput({ snapshotId: 'snap-0123456789abcdef0', architecture: 'sparc' as never }),
    ).toThrow(/architecture/)
    expect(() => checkAmiInput({ snapshotId: 'snap-0123456789abcdef0', volumeSize: 0 })).toThrow(
      /volumeSize/,
    )
    expect(() => checkAmiInput({ instanceId: 'i-0123456789abcdef0', name: 'a' })).toThrow(/name/)
    expect(() =>
      checkAmiInput({ instanceId: 'i-0123456789abcdef0', noReboot: 'yes' as never }),
    ).toThrow(/noReboot/)
    expect(
      checkAmiInput({ instanceId: 'i-0123456789abcdef0', name: 'web (2024) [x86]' }),
    ).toBeTruthy()
  })

  test('names and facts', () => {
    expect(() => amiName('web;rm')).toThrow(/name/)
    expect(defaultAmiName({ runId: 'r1', step: 'bake', sourceId: 'i-1', now: 0 })).toBe(
      'ferry-r1-bake',
    )
    expect(
      defaultAmiName({ step: 'bake', sourceId: 'snap-1', now: Date.UTC(2024, 0, 2, 3, 4, 5) }),
    ).toBe('ferry-snap-1-2024-01-02T03-04-05Z')
    expect(defaultAmiName({ runId: 'run#1', step: 'bake', sourceId: 'i-1', now: 0 })).toBe(
      'ferry-run-1-bake',
    )
    expect(
      imageFacts({
        ImageId: 'ami-1',
        Name: 'n',
        State: 'available',
        Public: false,
        BlockDeviceMappings: [
          { Ebs: { SnapshotId: 'snap-1', Encrypted: true } },
          { VirtualName: 'ephemeral0' },
          { Ebs: { SnapshotId: 'snap-2' } },
        ],
      }),
    ).toEqual({
      imageId: 'ami-1',
      name: 'n',
      state: 'available',
      snapshotIds: ['snap-1', 'snap-2'],
      encrypted: true,
      public: false,
    })
    expect(findImageInput({ runId: 'r1', step: 'bake' })).toEqual({
      Owners: ['self'],
      Filters: [
        { Name: 'tag:ferry:run', Values: ['r1'] },
        { Name: 'tag:ferry:step', Values: ['bake'] },
        { Name: 'state', Values: ['pending', 'available'] },
      ],
    })
  })
})
