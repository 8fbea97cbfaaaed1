// copyAmi, shareAmi/unshareAmi, migrateVolume and deleteImagesByRun against moto, read back
// with separate clients per region.
import {
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2'
import { AwsError, FerryError, TimeoutError, type FerryEvent } from '@ferry/core'
import { strictAwsScope } from '@ferry/lab'
import { labInfo } from '@ferry/lab/vitest'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  copyAmi,
  createAmi,
  deleteAmi,
  deleteImagesByRun,
  migrateVolume,
  shareAmi,
  snapshotVolume,
  unshareAmi,
} from '../src/index.js'
import { fakeClock } from './fakes.js'
import { labAws, launchInstance, reader, uniqueRun } from './lab.js'

const aws = labAws()
const options = { aws: { ...aws, region: 'us-east-1' } }
const tagsOf = (tags: { Key?: string; Value?: string }[] = []) =>
  Object.fromEntries(tags.map((t) => [t.Key, t.Value]))
const account = '111122223333'

let instanceId: string
/** An AMI of the lab instance, named after the run: the source most tests start from. */
const bake = (runId: string) =>
  createAmi({ instanceId, name: `${runId}-src` }, { ...options, runId, step: 'bake' })

beforeAll(async () => {
  instanceId = (await launchInstance()).instanceId
})

describe('copyAmi', () => {
  test('copies to two regions in parallel; ids, names and tags read back per region; a re-run adopts', async () => {
    const runId = uniqueRun('copy')
    const ami = await bake(runId)
    const copies = await copyAmi(
      { imageId: ami.imageId, regions: ['eu-west-1', 'ap-south-1'], description: 'web copy' },
      { ...options, runId, step: 'copy' },
    )
    expect(Object.keys(copies.imageIds).sort()).toEqual(['ap-south-1', 'eu-west-1'])
    for (const region of ['eu-west-1', 'ap-south-1']) {
      const out = await reader(region).send(
        new DescribeImagesCommand({ ImageIds: [copies.imageIds[region]!] }),
      )
      const image = out.Images![0]!
      expect(image).toMatchObject({ State: 'available', Name: `${runId}-src` })
      expect(tagsOf(image.Tags)).toMatchObject({
        'ferry:run': runId,
        'ferry:step': 'copy',
        'ferry:source': ami.imageId,
      })
      // Each copy lives in its own region only.
      const elsewhere = await reader('us-east-1').send(
        new DescribeImagesCommand({
          Owners: ['self'],
          Filters: [{ Name: 'image-id', Values: [image.ImageId!] }],
        }),
      )
      expect(elsewhere.Images).toEqual([])
    }
    // moto ignores CopyImage's ClientToken (a retry would make a second copy) and its
    // Encrypted/KmsKeyId; the re-run is adopted here through the copy's tags.
    const again = await copyAmi(
      { imageId: ami.imageId, regions: ['eu-west-1', 'ap-south-1'] },
      { ...options, runId, step: 'copy' },
    )
    expect(again.imageIds).toEqual(copies.imageIds)
    expect(Object.values(again.copies).every((c) => c.adopted)).toBe(true)
  })

  test('when one region fails, the copies made elsewhere are removed and the error names the region', async () => {
    const runId = uniqueRun('copyfail')
    const ami = await bake(runId)
    const clientFor = (region: string) =>
      new EC2Client({
        region,
        // A closed port stands for a region whose endpoint cannot be reached.
        endpoint: region === 'ap-south-1' ? 'http://127.0.0.1:9' : aws.endpoint,
        credentials: aws.credentials,
        maxAttempts: 1,
      })
    const error = await copyAmi(
      { imageId: ami.imageId, sourceRegion: 'us-east-1', regions: ['eu-west-1', 'ap-south-1'] },
      { clientFor, runId, step: 'copy' },
    ).catch((e: unknown) => e)
    expect(FerryError.is(error) && error.message).toMatch(
      /failed in ap-south-1; the copies made in other regions were removed/,
    )
    const left = await reader('eu-west-1').send(
      new DescribeImagesCommand({
        Owners: ['self'],
        Filters: [{ Name: 'tag:ferry:run', Values: [runId] }],
      }),
    )
    expect(left.Images).toEqual([])
    const byName = await reader('eu-west-1').send(
      new DescribeImagesCommand({
        Owners: ['self'],
        Filters: [{ Name: 'name', Values: [`${runId}-src`] }],
      }),
    )
    expect(byName.Images).toEqual([])
  })
})

/**
 * A lab client on which every image described by id is still `pending`: moto finishes a copy at
 * once, AWS takes hours (the lab has no AWS clock yet). Everything else is the real call.
 */
function stillCopying(region: string): EC2Client {
  const client = new EC2Client({ region, endpoint: aws.endpoint, credentials: aws.credentials })
  const send = client.send.bind(client) as (c: unknown) => Promise<unknown>
  client.send = (async (command: DescribeImagesCommand) => {
    const out = await send(command)
    if (!(command instanceof DescribeImagesCommand) || !command.input.ImageIds) return out
    const images = (out as { Images?: { State?: string }[] }).Images ?? []
    return { ...(out as object), Images: images.map((i) => ({ ...i, State: 'pending' })) }
  }) as never
  return client
}

describe('copyAmi that outlasts maxWaitTime', () => {
  test('keeps the copies in flight, tagged, and a re-run adopts them', async () => {
    const runId = uniqueRun('copyslow')
    const ami = await bake(runId)
    const regions = ['eu-west-1', 'ap-south-1']
    const source = new EC2Client({ ...aws, region: 'us-east-1' })
    const error = await copyAmi(
      { imageId: ami.imageId, sourceRegion: 'us-east-1', regions },
      {
        clientFor: (r) => (r === 'us-east-1' ? source : stillCopying(r)),
        runId,
        step: 'copy',
        maxWaitTime: 3000,
        clock: fakeClock(),
      },
    ).catch((e: unknown) => e)
    expect(TimeoutError.is(error)).toBe(true)
    expect(error).toMatchObject({ retryable: true })
    expect((error as Error).message).toMatch(/still copying in eu-west-1, ap-south-1.*kept/)

    const kept: Record<string, string> = {}
    for (const region of regions) {
      const mine = await reader(region).send(
        new DescribeImagesCommand({
          Owners: ['self'],
          Filters: [{ Name: 'tag:ferry:run', Values: [runId] }],
        }),
      )
      expect(mine.Images).toHaveLength(1)
      expect(tagsOf(mine.Images![0]!.Tags)).toMatchObject({
        'ferry:step': 'copy',
        'ferry:source': ami.imageId,
      })
      kept[region] = mine.Images![0]!.ImageId!
    }
    const again = await copyAmi(
      { imageId: ami.imageId, regions },
      { ...options, runId, step: 'copy' },
    )
    expect(again.imageIds).toEqual(kept)
    expect(Object.values(again.copies).every((c) => c.adopted)).toBe(true)
  })
})

describe('shareAmi', () => {
  test('shares with an account (launch + createVolumePermission), unshares, and public only when asked', async () => {
    const runId = uniqueRun('share')
    const ami = await bake(runId)
    const read = reader('us-east-1')
    const launch = async () =>
      (
        await read.send(
          new DescribeImageAttributeCommand({
            ImageId: ami.imageId,
            Attribute: 'launchPermission',
          }),
        )
      ).LaunchPermissions
    const volume = async (snapshotId: string) =>
      (
        await read.send(
          new DescribeSnapshotAttributeCommand({
            SnapshotId: snapshotId,
            Attribute: 'createVolumePermission',
          }),
        )
      ).CreateVolumePermissions

    const shared = await shareAmi({ imageId: ami.imageId, accountIds: [account] }, options)
    expect(shared).toEqual({
      imageId: ami.imageId,
      region: 'us-east-1',
      accountIds: [account],
      public: false,
      snapshotIds: ami.snapshotIds,
    })
    expect(await launch()).toEqual([{ UserId: account }])
    for (const id of ami.snapshotIds) expect(await volume(id)).toEqual([{ UserId: account }])

    await shareAmi({ imageId: ami.imageId, public: true }, options)
    expect(await launch()).toEqual(expect.arrayContaining([{ UserId: account }, { Group: 'all' }]))
    const image = (await read.send(new DescribeImagesCommand({ ImageIds: [ami.imageId] })))
      .Images![0]!
    expect(image.Public).toBe(true)
    // A public AMI never makes its snapshots public.
    for (const id of ami.snapshotIds) expect(await volume(id)).toEqual([{ UserId: account }])

    await unshareAmi({ imageId: ami.imageId, accountIds: [account], public: true }, options)
    expect(await launch()).toEqual([])
    for (const id of ami.snapshotIds) expect(await volume(id)).toEqual([])
  })
})

test('when snapshot access cannot be granted, the launch permissions this call added are taken back', async () => {
  const runId = uniqueRun('sharefail')
  const ami = await bake(runId)
  const before = '999988887777'
  await shareAmi({ imageId: ami.imageId, accountIds: [before], snapshots: false }, options)
  // A real moto client that fails one operation: the fault lands between the two grants.
  const faulty = reader('us-east-1')
  const send = faulty.send.bind(faulty)
  faulty.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) =>
    command.constructor.name === 'ModifySnapshotAttributeCommand'
      ? Promise.reject(
          Object.assign(new Error('injected'), { name: 'InternalError', $fault: 'server' }),
        )
      : (send as (...a: unknown[]) => Promise<unknown>)(command, ...rest)) as never
  const error = await shareAmi(
    { imageId: ami.imageId, accountIds: [before, account] },
    { ec2: faulty },
  ).catch((e: unknown) => e)
  expect(AwsError.is(error) && error.operation).toBe('ModifySnapshotAttribute')
  const perms = await reader('us-east-1').send(
    new DescribeImageAttributeCommand({ ImageId: ami.imageId, Attribute: 'launchPermission' }),
  )
  // The account that had access before keeps it; the one this call added is gone again.
  expect(perms.LaunchPermissions).toEqual([{ UserId: before }])
})

describe('migrateVolume', () => {
  test('to another region (CopySnapshot) and to another AZ: encrypted gp3 volumes, tagged', async () => {
    const runId = uniqueRun('migrate')
    const snap = await snapshotVolume({ instanceId, device: '/dev/sdf' }, { ...options })
    const moved = await migrateVolume(
      {
        volumeId: snap.volumeId,
        to: { region: 'eu-west-1', availabilityZone: 'eu-west-1b' },
        name: 'data',
      },
      { ...options, runId, step: 'move' },
    )
    expect(moved).toMatchObject({ region: 'eu-west-1', availabilityZone: 'eu-west-1b' })
    expect(moved.snapshotId).not.toBe(moved.sourceSnapshotId)
    const west = reader('eu-west-1')
    const vol = (await west.send(new DescribeVolumesCommand({ VolumeIds: [moved.volumeId] })))
      .Volumes![0]!
    expect(vol).toMatchObject({
      State: 'available',
      VolumeType: 'gp3',
      Encrypted: true,
      AvailabilityZone: 'eu-west-1b',
      SnapshotId: moved.snapshotId,
    })
    expect(tagsOf(vol.Tags)).toMatchObject({
      Name: 'data',
      'ferry:run': runId,
      'ferry:step': 'move',
      'ferry:source': moved.snapshotId,
    })
    const copied = (
      await west.send(new DescribeSnapshotsCommand({ SnapshotIds: [moved.snapshotId] }))
    ).Snapshots![0]!
    expect(copied).toMatchObject({ State: 'completed', Encrypted: true })
    expect(tagsOf(copied.Tags)).toMatchObject({
      'ferry:run': runId,
      'ferry:source': moved.sourceSnapshotId,
    })

    const again = await migrateVolume(
      {
        volumeId: snap.volumeId,
        to: { region: 'eu-west-1', availabilityZone: 'eu-west-1b' },
        name: 'data',
      },
      { ...options, runId, step: 'move' },
    )
    expect(again).toEqual(moved)

    const az = await migrateVolume(
      { volumeId: snap.volumeId, to: { availabilityZone: 'us-east-1c' } },
      { ...options, runId, step: 'move-az' },
    )
    expect(az).toMatchObject({ region: 'us-east-1', availabilityZone: 'us-east-1c' })
    expect(az.snapshotId).toBe(az.sourceSnapshotId)
    const azVol = (
      await reader('us-east-1').send(new DescribeVolumesCommand({ VolumeIds: [az.volumeId] }))
    ).Volumes![0]!
    expect(azVol).toMatchObject({
      AvailabilityZone: 'us-east-1c',
      Encrypted: true,
      VolumeType: 'gp3',
    })
  })
})

test('migrateVolume: a lost CopySnapshot response is adopted by the run tags, not copied twice', async () => {
  const strict = strictAwsScope(labInfo().aws, 'images-copy-snapshot-lost')
  await strict.inject({ operation: 'CopySnapshot', fault: 'lose-response' })
  const runId = uniqueRun('copylost')
  const source = await snapshotVolume({ instanceId, device: '/dev/sdf' }, options)
  const moved = await migrateVolume(
    { volumeId: source.volumeId, to: { region: 'eu-west-1', availabilityZone: 'eu-west-1a' } },
    { aws: strict.aws, runId, step: 'move' },
  )
  const copies = await reader('eu-west-1').send(
    new DescribeSnapshotsCommand({
      OwnerIds: ['self'],
      Filters: [{ Name: 'tag:ferry:run', Values: [runId] }],
    }),
  )
  expect(copies.Snapshots?.map((s) => s.SnapshotId)).toEqual([moved.snapshotId])
  const sent = (await strict.calls()).filter((c) => c.operation === 'CopySnapshot')
  expect(sent.map((c) => c.by)).toEqual(['lose-response'])
})

describe('deleteImagesByRun', () => {
  test('removes the AMIs, snapshots and migrated volumes of a run in every region, and nothing else', async () => {
    const runId = uniqueRun('teardown')
    const other = await snapshotVolume(
      { instanceId },
      { ...options, runId: uniqueRun('other'), step: 'keep' },
    )
    const snap = await snapshotVolume({ instanceId }, { ...options, runId, step: 'snap' })
    const ami = await createAmi(
      { snapshotId: snap.snapshotId },
      { ...options, runId, step: 'bake' },
    )
    const copies = await copyAmi(
      { imageId: ami.imageId, regions: ['eu-west-1'] },
      { ...options, runId, step: 'copy' },
    )
    const moved = await migrateVolume(
      { volumeId: snap.volumeId, to: { region: 'eu-west-1', availabilityZone: 'eu-west-1a' } },
      { ...options, runId, step: 'move' },
    )

    const result = await deleteImagesByRun({ runId, regions: ['us-east-1', 'eu-west-1'] }, options)
    expect(result['us-east-1']!.imageIds).toEqual([ami.imageId])
    expect(result['eu-west-1']!.imageIds).toEqual([copies.imageIds['eu-west-1']])
    expect(result['eu-west-1']!.volumeIds).toEqual([moved.volumeId])
    expect(result['us-east-1']!.snapshotIds).toEqual(
      expect.arrayContaining([snap.snapshotId, ...ami.snapshotIds]),
    )
    for (const region of ['us-east-1', 'eu-west-1']) {
      const read = reader(region)
      const filter = [{ Name: 'tag:ferry:run', Values: [runId] }]
      expect(
        (await read.send(new DescribeImagesCommand({ Owners: ['self'], Filters: filter }))).Images,
      ).toEqual([])
      expect(
        (await read.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: filter })))
          .Snapshots,
      ).toEqual([])
      expect((await read.send(new DescribeVolumesCommand({ Filters: filter }))).Volumes).toEqual([])
    }
    const kept = await reader('us-east-1').send(
      new DescribeSnapshotsCommand({ SnapshotIds: [other.snapshotId] }),
    )
    expect(kept.Snapshots).toHaveLength(1)
    // Running it again finds nothing and fails on nothing.
    expect(
      await deleteImagesByRun({ runId, regions: ['us-east-1', 'eu-west-1'] }, options),
    ).toEqual({
      'us-east-1': { imageIds: [], snapshotIds: [], volumeIds: [] },
      'eu-west-1': { imageIds: [], snapshotIds: [], volumeIds: [] },
    })
  })

  test('deleteAmi retries a snapshot still InUse right after DeregisterImage, then keeps it with a warning', async () => {
    const strict = strictAwsScope(labInfo().aws, 'images-snapshot-in-use')
    const scoped = { aws: strict.aws, clock: fakeClock() }
    const inUse = (times: number) =>
      strict.inject({
        operation: 'DeleteSnapshot',
        times,
        fault: {
          code: 'InvalidSnapshot.InUse',
          message: 'The snapshot is currently in use by an AMI',
          status: 400,
        },
      })

    const ami = await bake(uniqueRun('inuse'))
    await inUse(2)
    expect(await deleteAmi({ imageId: ami.imageId }, scoped)).toEqual({
      imageId: ami.imageId,
      region: 'us-east-1',
      deregistered: true,
      deletedSnapshotIds: ami.snapshotIds,
    })

    // A snapshot that stays in use (another AMI backs it) is kept, said so, not a failure.
    const stuck = await bake(uniqueRun('stuck'))
    await inUse(1000)
    const events: FerryEvent[] = []
    const kept = await deleteAmi(
      { imageId: stuck.imageId },
      { ...scoped, onEvent: (e) => events.push(e) },
    )
    expect(kept).toMatchObject({ deregistered: true, deletedSnapshotIds: [] })
    expect(events.filter((e) => e.type === 'warning').map((e) => e.message)).toEqual(
      stuck.snapshotIds.map((id) => expect.stringContaining(`kept snapshot ${id}`)),
    )
    await strict.reset()
  })

  test('an AMI that is already gone is not an error; an empty run id is refused', async () => {
    const runId = uniqueRun('gone')
    const ami = await bake(runId)
    const first = await deleteAmi({ imageId: ami.imageId }, options)
    expect(first).toEqual({
      imageId: ami.imageId,
      region: 'us-east-1',
      deregistered: true,
      deletedSnapshotIds: ami.snapshotIds,
    })
    expect(await deleteAmi({ imageId: ami.imageId }, options)).toEqual({
      imageId: ami.imageId,
      region: 'us-east-1',
      deregistered: false,
      deletedSnapshotIds: [],
    })
    const error = await deleteImagesByRun({ runId: '', regions: ['us-east-1'] }, options).catch(
      (e: unknown) => e,
    )
    expect(FerryError.is(error) && error.code).toBe('VALIDATION')
  })
})
