import { FerryError, ValidationError } from '@ferry/core'
import { describe, expect, test } from 'vitest'
import {
  checkSnapshotInput,
  createSnapshotInput,
  findSnapshotInput,
  volumeOfDevice,
} from './snapshot-input.js'

const instance = {
  InstanceId: 'i-1',
  RootDeviceName: '/dev/xvda',
  BlockDeviceMappings: [
    { DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-root' } },
    { DeviceName: '/dev/sdf', Ebs: { VolumeId: 'vol-data' } },
  ],
}

describe('snapshot inputs', () => {
  test('exactly one of volumeId / instanceId; device only with an instance', () => {
    expect(() => checkSnapshotInput({})).toThrow(/exactly one of volumeId or instanceId/)
    expect(() =>
      checkSnapshotInput({ volumeId: 'vol-0123456789abcdef0', instanceId: 'i-0123456789abcdef0' }),
    ).toThrow(ValidationError)
    expect(() =>
      checkSnapshotInput({ volumeId: 'vol-0123456789abcdef0', device: '/dev/sdf' }),
    ).toThrow(/no device/)
    expect(checkSnapshotInput({ instanceId: 'i-0123456789abcdef0' })).toMatchObject({
      device: 'root',
    })
    expect(() =>
      checkSnapshotInput({ instanceId: 'i-0123456789abcdef0', device: 'sdf; rm -rf /' }),
    ).toThrow(/device/)
    expect(() => checkSnapshotInput({ volumeId: 'vol-1' })).toThrow(/volume id/)
    expect(() =>
      checkSnapshotInput({ volumeId: 'vol-0123456789abcdef0', description: 'x'.repeat(256) }),
    ).toThrow(/description/)
    expect(() =>
      checkSnapshotInput({ volumeId: 'vol-0123456789abcdef0', tags: { 'aws:x': 'y' } }),
    ).toThrow(/tags.aws:x/)
  })

  test('CreateSnapshot input carries description and run/step/module tags', () => {
    expect(
      createSnapshotInput({
        volumeId: 'vol-1',
        description: 'd',
        runId: 'r1',
        step: 'snap',
        name: 'web',
        tags: { team: 'a' },
      }),
    ).toEqual({
      VolumeId: 'vol-1',
      Description: 'd',
      TagSpecifications: [
        {
          ResourceType: 'snapshot',
          Tags: [
            { Key: 'Name', Value: 'web' },
            { Key: 'ferry:run', Value: 'r1' },
            { Key: 'ferry:step', Value: 'snap' },
            { Key: 'ferry:module', Value: 'images' },
            { Key: 'team', Value: 'a' },
          ],
        },
      ],
    })
  })

  test('adoption query: own snapshots of this run, step and volume', () => {
    expect(findSnapshotInput({ runId: 'r1', step: 'snap', volumeId: 'vol-1' })).toEqual({
      OwnerIds: ['self'],
      Filters: [
        { Name: 'tag:ferry:run', Values: ['r1'] },
        { Name: 'tag:ferry:step', Values: ['snap'] },
        { Name: 'volume-id', Values: ['vol-1'] },
      ],
    })
  })

  test('device pick: root, a named device, the sd/xvd alias, a missing device', () => {
    expect(volumeOfDevice(instance, 'root')).toBe('vol-root')
    expect(volumeOfDevice(instance, '/dev/sdf')).toBe('vol-data')
    expect(volumeOfDevice(instance, '/dev/xvdf')).toBe('vol-data')
    expect(() => volumeOfDevice(instance, '/dev/sdg')).toThrow(FerryError)
    expect(() => volumeOfDevice(instance, '/dev/sdg')).toThrow(/devices: \/dev\/xvda, \/dev\/sdf/)
  })
})
