// The step factories run as a pipeline would run them: run, preflight, plan and undo.
import {
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
} from '@aws-sdk/client-ec2'
import {
  createStepEnv,
  idempotencyToken,
  Journal,
  type FerryEvent,
  type StepEnv,
} from '@ferry/core'
import { describe, expect, test } from 'vitest'
import { copyAmiStep, createAmiStep, shareAmiStep, snapshotVolumeStep } from '../src/index.js'
import { labAws, launchInstance, reader, uniqueRun } from './lab.js'

const aws = { ...labAws(), region: 'us-east-1' }
const account = '444455556666'

/** A StepEnv as the pipeline gives one: core's own, sharing the run's journal between steps. */
function stepEnv(runId: string, step: string, journal: Journal, events: FerryEvent[]): StepEnv {
  return createStepEnv({ runId, step, aws, journal, onEvent: (e) => events.push(e) })
}

describe('image steps', () => {
  test('server → snapshot → AMI → two copies → shared everywhere; preflight passes; undo removes it all', async () => {
    const runId = uniqueRun('steps')
    const journal = Journal.memory(runId)
    const events: FerryEvent[] = []
    const env = (step: string) => stepEnv(runId, step, journal, events)
    const server = await launchInstance()
    const snapStep = snapshotVolumeStep({ name: 'web' })
    const amiStep = createAmiStep({ architecture: 'x86_64' })
    const copyStep = copyAmiStep({ regions: ['eu-west-1', 'ap-south-1'] })
    const shareStep = shareAmiStep({ accountIds: [account], includeCopies: true })

    await snapStep.preflight!({ server }, env(snapStep.name))
    const { snapshot } = await snapStep.run({ server }, env(snapStep.name))
    // A re-run of the step adopts the journal's snapshot.
    expect((await snapStep.run({ server }, env(snapStep.name))).snapshot).toEqual(snapshot)
    expect(journal.step('snapshotVolume')?.records[`snapshot:${snapshot.volumeId}`]).toBe(
      snapshot.snapshotId,
    )

    await amiStep.preflight!({ snapshot }, env(amiStep.name))
    const { ami } = await amiStep.run({ snapshot }, env(amiStep.name))
    await copyStep.preflight!({ ami }, env(copyStep.name))
    const { amiCopies } = await copyStep.run({ ami }, env(copyStep.name))
    await shareStep.preflight!({ ami, amiCopies }, env(shareStep.name))
    const { amiShares } = await shareStep.run({ ami, amiCopies }, env(shareStep.name))
    // moto answers every DryRun with DryRunOperation, so no preflight warning is expected.
    expect(events.filter((e) => e.type === 'warning')).toEqual([])

    const all = { 'us-east-1': ami.imageId, ...amiCopies }
    expect(amiShares.map((s) => s.region).sort()).toEqual(Object.keys(all).sort())
    for (const [region, imageId] of Object.entries(all)) {
      const perms = await reader(region).send(
        new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }),
      )
      expect(perms.LaunchPermissions).toEqual([{ UserId: account }])
    }

    expect(await shareStep.undo!({ ami, amiCopies, amiShares }, env(shareStep.name))).toMatch(
      /took back/,
    )
    const after = await reader('eu-west-1').send(
      new DescribeImageAttributeCommand({
        ImageId: amiCopies['eu-west-1']!,
        Attribute: 'launchPermission',
      }),
    )
    expect(after.LaunchPermissions).toEqual([])
    await copyStep.undo!({ ami, amiCopies }, env(copyStep.name))
    await amiStep.undo!({ snapshot, ami }, env(amiStep.name))
    // The AMI's undo keeps the snapshot its own step owns.
    const kept = await reader('us-east-1').send(
      new DescribeSnapshotsCommand({ SnapshotIds: [snapshot.snapshotId] }),
    )
    expect(kept.Snapshots).toHaveLength(1)
    expect(await snapStep.undo!({ server, snapshot }, env(snapStep.name))).toBe(
      `deleted snapshot ${snapshot.snapshotId} in us-east-1`,
    )
    for (const region of ['us-east-1', 'eu-west-1', 'ap-south-1']) {
      const filter = [{ Name: 'tag:ferry:run', Values: [runId] }]
      expect(
        (
          await reader(region).send(
            new DescribeImagesCommand({ Owners: ['self'], Filters: filter }),
          )
        ).Images,
      ).toEqual([])
      expect(
        (
          await reader(region).send(
            new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: filter }),
          )
        ).Snapshots,
      ).toEqual([])
    }
    // Undo again: everything is already gone, which is not an error.
    expect(await snapStep.undo!({ server, snapshot }, env(snapStep.name))).toMatch(/already gone/)
  })

  test('plan lists the calls with placeholders and makes none', () => {
    const planEnv = {
      runId: 'r1',
      step: 'copyAmi',
      aws,
      token: (p?: string) => idempotencyToken('r1', 'copyAmi', p),
    }
    const plan = copyAmiStep({ regions: ['eu-west-1'], kmsKeyIds: { 'eu-west-1': 'alias/ami' } })
      .plan!(
      { ami: { imageId: '{{ami.imageId}}', region: '{{ami.region}}', snapshotIds: [] } },
      planEnv,
    )
    expect(plan.map((p) => (p.kind === 'aws' ? p.operation : p.kind))).toEqual([
      'DescribeImages',
      'CopyImage (eu-west-1)',
      'note',
    ])
    expect(plan[1]).toMatchObject({
      input: {
        SourceImageId: '{{ami.imageId}}',
        SourceRegion: '{{ami.region}}',
        Encrypted: true,
        KmsKeyId: 'alias/ami',
        ClientToken: idempotencyToken('r1', 'copyAmi', 'copy:eu-west-1'),
      },
    })
    const snapPlan = snapshotVolumeStep().plan!(
      { server: { instanceId: '{{server.instanceId}}' } },
      { ...planEnv, step: 'snap' },
    )
    expect(snapPlan.map((p) => (p.kind === 'aws' ? p.operation : p.kind))).toEqual([
      'DescribeInstances',
      'DescribeSnapshots',
      'CreateSnapshot',
      'note',
    ])
    const amiPlan = createAmiStep({ from: 'server', noReboot: true }).plan!(
      { server: { instanceId: '{{server.instanceId}}' } },
      { ...planEnv, step: 'bake' },
    )
    expect(amiPlan[1]).toMatchObject({
      operation: 'CreateImage',
      input: { InstanceId: '{{server.instanceId}}', Name: 'ferry-r1-bake', NoReboot: true },
    })
  })
})
