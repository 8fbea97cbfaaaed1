// Eventual consistency under the lab's strict layer: every id ferry makes (or is handed moments
// after it was made) answers NotFound a few times first, as on AWS, and the chain still works.
import { DescribeImagesCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2'
import { strictAwsScope } from '@ferry/lab'
import { labInfo } from '@ferry/lab/vitest'
import { afterAll, expect, test } from 'vitest'
import { copyAmi, createAmi, deleteImagesByRun, shareAmi, snapshotVolume } from '../src/index.js'
import { launchInstance, reader, uniqueRun } from './lab.js'

const strict = strictAwsScope(labInfo().aws, 'images-fresh-ids')
const ec2 = new EC2Client({ ...strict.aws, maxAttempts: 1 })
afterAll(() => ec2.destroy())

test('a just-launched server → snapshot → AMI (both ways) → copy → share, with 2 NotFound answers per new id', async () => {
  await strict.configure({ consistencyUses: 2 })
  const server = await launchInstance('us-east-1', ec2)
  const runId = uniqueRun('fresh')
  const options = { aws: strict.aws, runId }
  const fromServer = await createAmi(
    { instanceId: server.instanceId, noReboot: true },
    { ...options, step: 'ami-server' },
  )
  const snap = await snapshotVolume({ instanceId: server.instanceId }, { ...options, step: 'snap' })
  const fromSnap = await createAmi(
    { snapshotId: snap.snapshotId, architecture: 'x86_64' },
    { ...options, step: 'ami-snap' },
  )
  const copies = await copyAmi(
    { imageId: fromServer.imageId, regions: ['eu-west-1'] },
    { ...options, step: 'copy' },
  )
  await shareAmi(
    { imageId: copies.imageIds['eu-west-1']!, region: 'eu-west-1', accountIds: ['111122223333'] },
    options,
  )

  const read = reader('us-east-1')
  const images = await read.send(
    new DescribeImagesCommand({ ImageIds: [fromSnap.imageId, fromServer.imageId] }),
  )
  expect(images.Images?.map((i) => i.State)).toEqual(['available', 'available'])
  const snaps = await read.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap.snapshotId] }))
  expect(snaps.Snapshots?.[0]?.State).toBe('completed')
  // The layer really answered NotFound along the way: this test would pass on moto alone.
  const refused = (await strict.calls()).filter((c) => c.by === 'consistency')
  expect(refused.map((c) => c.operation)).toEqual(
    expect.arrayContaining(['CreateImage', 'DescribeSnapshots', 'DescribeImages']),
  )
  await deleteImagesByRun({ runId, regions: ['us-east-1', 'eu-west-1'] }, options)
})
