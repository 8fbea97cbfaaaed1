// snapshotVolume and createAmi against moto, read back with a separate client.
import {
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RegisterImageCommand,
  RunInstancesCommand,
  type RegisterImageCommandInput,
} from '@aws-sdk/client-ec2'
import { ValidationError, type FerryEvent } from '@ferry/core'
import { strictAwsScope } from '@ferry/lab'
import { labInfo } from '@ferry/lab/vitest'
import { beforeAll, describe, expect, test } from 'vitest'
import { createAmi, snapshotVolume } from '../src/index.js'
import { labAws, launchInstance, reader, uniqueRun } from './lab.js'

const aws = labAws()
const ec2 = new EC2Client({
  region: 'us-east-1',
  endpoint: aws.endpoint,
  credentials: aws.credentials,
})
const read = reader('us-east-1')
const tagsOf = (tags: { Key?: string; Value?: string }[] = []) =>
  Object.fromEntries(tags.map((t) => [t.Key, t.Value]))

let instance: { instanceId: string; region: string }
let devices: Record<string, string>

beforeAll(async () => {
  instance = await launchInstance()
  const out = await read.send(new DescribeInstancesCommand({ InstanceIds: [instance.instanceId] }))
  const mappings = out.Reservations![0]!.Instances![0]!.BlockDeviceMappings!
  devices = Object.fromEntries(mappings.map((m) => [m.DeviceName, m.Ebs!.VolumeId]))
})

describe('snapshotVolume', () => {
  test('snapshots the root device and a named device, tagged, with progress; a re-run adopts', async () => {
    const runId = uniqueRun('snap')
    const events: FerryEvent[] = []
    const root = await snapshotVolume(
      { instanceId: instance.instanceId, name: 'web-root', description: 'root of web' },
      { ec2, runId, step: 'snap-root', onEvent: (e) => events.push(e) },
    )
    const data = await snapshotVolume(
      { instanceId: instance.instanceId, device: '/dev/sdf' },
      { ec2, runId, step: 'snap-data' },
    )
    expect(root).toMatchObject({
      volumeId: devices['/dev/sda1'],
      region: 'us-east-1',
      adopted: false,
      volumeSize: 8,
    })
    expect(data).toMatchObject({ volumeId: devices['/dev/sdf'], encrypted: true, adopted: false })

    const back = await read.send(
      new DescribeSnapshotsCommand({ SnapshotIds: [root.snapshotId, data.snapshotId] }),
    )
    const byId = Object.fromEntries(back.Snapshots!.map((s) => [s.SnapshotId, s]))
    expect(byId[root.snapshotId]).toMatchObject({
      State: 'completed',
      VolumeId: devices['/dev/sda1'],
      Description: 'root of web',
    })
    expect(tagsOf(byId[root.snapshotId]!.Tags)).toEqual({
      Name: 'web-root',
      'ferry:run': runId,
      'ferry:step': 'snap-root',
      'ferry:module': 'images',
    })
    expect(tagsOf(byId[data.snapshotId]!.Tags)).toMatchObject({
      'ferry:run': runId,
      'ferry:step': 'snap-data',
    })
    expect(events.map((e) => e.type)).toContain('aws:call')
    expect(events.some((e) => e.type === 'info' && e.message.includes('completed (100%)'))).toBe(
      true,
    )

    // Same run and step again: the snapshot is adopted, not made twice.
    const again = await snapshotVolume(
      { instanceId: instance.instanceId },
      { ec2, runId, step: 'snap-root' },
    )
    expect(again).toMatchObject({ snapshotId: root.snapshotId, adopted: true })
    const mine = await read.send(
      new DescribeSnapshotsCommand({
        OwnerIds: ['self'],
        Filters: [{ Name: 'tag:ferry:run', Values: [runId] }],
      }),
    )
    expect(mine.Snapshots).toHaveLength(2)
  })

  test('a journal-recorded id is adopted even without matching tags', async () => {
    const first = await snapshotVolume({ volumeId: devices['/dev/sdf']! }, { ec2 })
    const recorded = (key: string) =>
      key === `snapshot:${devices['/dev/sdf']}` ? first.snapshotId : undefined
    const again = await snapshotVolume(
      { volumeId: devices['/dev/sdf']! },
      { ec2, runId: uniqueRun('journal'), recorded },
    )
    expect(again).toMatchObject({ snapshotId: first.snapshotId, adopted: true })
  })

  test.each(['lose-response', 'drop-connection', 'throttle'] as const)(
    'CreateSnapshot meets %s: one snapshot, adopted by the run tags, never a second',
    async (fault) => {
      const strict = strictAwsScope(labInfo().aws, `images-snapshot-${fault}`)
      await strict.inject({ operation: 'CreateSnapshot', fault })
      const runId = uniqueRun(fault)
      const snap = await snapshotVolume(
        { instanceId: instance.instanceId },
        { aws: strict.aws, runId, step: 'snap' },
      )
      const mine = await read.send(
        new DescribeSnapshotsCommand({
          OwnerIds: ['self'],
          Filters: [{ Name: 'tag:ferry:run', Values: [runId] }],
        }),
      )
      expect(mine.Snapshots?.map((s) => s.SnapshotId)).toEqual([snap.snapshotId])
      const creates = (await strict.calls()).filter((c) => c.operation === 'CreateSnapshot')
      // A lost response already made the snapshot: it is adopted, not asked for again.
      expect(creates.map((c) => c.by ?? 'moto')).toEqual(
        fault === 'throttle' ? ['fault', 'moto'] : [fault],
      )
    },
  )

  test('an unknown device names the devices the instance has', async () => {
    await expect(
      snapshotVolume({ instanceId: instance.instanceId, device: '/dev/sdz' }, { ec2 }),
    ).rejects.toThrow(/devices: \/dev\/sda1, \/dev\/sdf/)
  })
})

describe('createAmi', () => {
  test('from a snapshot (RegisterImage) and from the instance (CreateImage); tags on image and snapshots; re-run adopts', async () => {
    const runId = uniqueRun('ami')
    const snap = await snapshotVolume(
      { instanceId: instance.instanceId },
      { ec2, runId, step: 'snap' },
    )
    const fromSnap = await createAmi(
      { snapshotId: snap.snapshotId, name: `${runId}-snap`, architecture: 'x86_64' },
      { ec2, runId, step: 'ami-snap' },
    )
    const fromInstance = await createAmi(
      { instanceId: instance.instanceId, noReboot: true },
      { ec2, runId, step: 'ami-inst' },
    )
    expect(fromInstance.name).toBe(`ferry-${runId}-ami-inst`)

    const back = await read.send(
      new DescribeImagesCommand({ ImageIds: [fromSnap.imageId, fromInstance.imageId] }),
    )
    const byId = Object.fromEntries(back.Images!.map((i) => [i.ImageId, i]))
    expect(byId[fromSnap.imageId]).toMatchObject({ State: 'available', Name: `${runId}-snap` })
    expect(byId[fromInstance.imageId]).toMatchObject({
      State: 'available',
      SourceInstanceId: instance.instanceId,
    })
    expect(tagsOf(byId[fromSnap.imageId]!.Tags)).toMatchObject({
      'ferry:run': runId,
      'ferry:step': 'ami-snap',
    })
    expect(tagsOf(byId[fromInstance.imageId]!.Tags)).toMatchObject({
      'ferry:run': runId,
      'ferry:step': 'ami-inst',
      Name: `ferry-${runId}-ami-inst`,
    })
    // The snapshots behind each image carry the run's tags too (CreateTags once they exist).
    const snaps = await read.send(
      new DescribeSnapshotsCommand({
        SnapshotIds: [...fromSnap.snapshotIds, ...fromInstance.snapshotIds],
      }),
    )
    for (const s of snaps.Snapshots!) expect(tagsOf(s.Tags)).toMatchObject({ 'ferry:run': runId })
    // The source snapshot keeps its own step tag: it belongs to the snapshot step.
    const source = await read.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap.snapshotId] }))
    expect(tagsOf(source.Snapshots![0]!.Tags)['ferry:step']).toBe('snap')
    // moto: RegisterImage ignores BlockDeviceMappings, Architecture, EnaSupport, ImdsSupport and
    // TagSpecifications, and backs the image with a fresh snapshot of its own; on AWS the root
    // mapping IS the given snapshot. The exact RegisterImage input is asserted in ami-input.test.ts.

    const again = await createAmi(
      { instanceId: instance.instanceId, noReboot: true },
      { ec2, runId, step: 'ami-inst' },
    )
    expect(again).toMatchObject({ imageId: fromInstance.imageId, adopted: true })
    const mine = await read.send(
      new DescribeImagesCommand({
        Owners: ['self'],
        Filters: [{ Name: 'tag:ferry:run', Values: [runId] }],
      }),
    )
    expect(mine.Images).toHaveLength(2)
  })

  test.each(['CreateImage', 'RegisterImage'] as const)(
    '%s after a lost answer adopts the image by its unique name, never a second',
    async (operation) => {
      const strict = strictAwsScope(labInfo().aws, `images-lost-${operation}`)
      await strict.inject({ operation, fault: 'lose-response' })
      const runId = uniqueRun('lostami')
      const snap = await snapshotVolume({ instanceId: instance.instanceId }, { ec2, runId })
      const source =
        operation === 'CreateImage'
          ? { instanceId: instance.instanceId, noReboot: true }
          : { snapshotId: snap.snapshotId, architecture: 'x86_64' as const }
      const ami = await createAmi(source, { aws: strict.aws, runId, step: 'bake' })
      const named = await read.send(
        new DescribeImagesCommand({
          Owners: ['self'],
          Filters: [{ Name: 'name', Values: [`ferry-${runId}-bake`] }],
        }),
      )
      expect(named.Images?.map((i) => i.ImageId)).toEqual([ami.imageId])
      const sent = (await strict.calls()).filter((c) => c.operation === operation)
      expect(sent.map((c) => c.by)).toEqual(['lose-response'])
    },
  )

  // moto ignores RegisterImage's Architecture, so the request itself is read on its way out.
  const registered = (client: EC2Client): RegisterImageCommandInput[] => {
    const sent: RegisterImageCommandInput[] = []
    const send = client.send.bind(client) as (c: unknown) => Promise<unknown>
    client.send = ((command: unknown) => {
      if (command instanceof RegisterImageCommand) sent.push(command.input)
      return send(command)
    }) as never
    return sent
  }

  test("from a snapshot, registers the source server's architecture (arm64), not x86_64", async () => {
    const arm = await read.send(
      new RunInstancesCommand({
        // moto's Amazon Linux 2022 for arm64.
        ImageId: 'ami-0e9271c829888680e',
        InstanceType: 't4g.micro',
        MinCount: 1,
        MaxCount: 1,
      }),
    )
    const instanceId = arm.Instances![0]!.InstanceId!
    const runId = uniqueRun('arm')
    const client = new EC2Client({
      region: 'us-east-1',
      endpoint: aws.endpoint,
      credentials: aws.credentials,
    })
    const sent = registered(client)
    // moto maps the root at /dev/sda1 whatever the AMI's RootDeviceName (/dev/xvda here).
    const snap = await snapshotVolume(
      { instanceId, device: '/dev/sda1' },
      { ec2: client, runId, step: 'snap' },
    )
    await createAmi({ snapshotId: snap.snapshotId }, { ec2: client, runId, step: 'ami' })
    expect(sent.map((i) => i.Architecture)).toEqual(['arm64'])
  })

  test('from a snapshot whose source is unknown, asks for the architecture before registering', async () => {
    const volume = await read.send(
      new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }),
    )
    const client = new EC2Client({
      region: 'us-east-1',
      endpoint: aws.endpoint,
      credentials: aws.credentials,
    })
    const sent = registered(client)
    const snap = await snapshotVolume({ volumeId: volume.VolumeId! }, { ec2: client })
    const error = await createAmi({ snapshotId: snap.snapshotId }, { ec2: client }).catch(
      (e: unknown) => e,
    )
    expect(ValidationError.is(error) && error.field).toBe('architecture')
    expect(sent).toEqual([])
  })
})
