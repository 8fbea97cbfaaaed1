// snapshotVolumeStep: the pipeline face of snapshotVolume.
import { defineStep, type PlanEntry, type Step, validate } from '@ferry/core'
import { clientIn, resolveRegion, sdk } from './clients.js'
import { deleteSnapshot } from './delete-ami.js'
import { dryRun } from './ec2-call.js'
import {
  checkSnapshotInput,
  createSnapshotInput,
  type SnapshotVolumeInput,
} from './snapshot-input.js'
import { snapshotVolume } from './snapshot-volume.js'
import { knownRegion, realOr, stepOptions, type ServerLike, type SnapshotRef } from './step-env.js'

/** Settings of a snapshot step; without `volumeId` it snapshots `ctx.server`'s `device`. */
export type SnapshotStepInput = Omit<SnapshotVolumeInput, 'instanceId'> & {
  stepName?: string
  maxWaitTime?: number
}

/**
 * A step that snapshots a volume: `{ volumeId }`, or the context server's root (or named)
 * device. Adds `{ snapshot: { snapshotId, volumeId, region } }`; undo deletes the snapshot.
 * @example
 * pipeline.use(launchWebServerStep(...)).use(snapshotVolumeStep({ device: '/dev/sdf' }))
 */
export function snapshotVolumeStep(
  input: SnapshotStepInput & { volumeId: string },
): Step<object, { snapshot: SnapshotRef }>
export function snapshotVolumeStep(
  input?: SnapshotStepInput,
): Step<{ server: ServerLike }, { snapshot: SnapshotRef }>
export function snapshotVolumeStep(
  input: SnapshotStepInput = {},
): Step<{ server?: ServerLike }, { snapshot: SnapshotRef }> {
  const { stepName, maxWaitTime, ...rest } = input
  // Checked now, so a bad input fails when the pipeline is built, not halfway through a run.
  checkSnapshotInput(rest.volumeId ? rest : { ...rest, instanceId: 'i-00000000' })
  const request = (ctx: { server?: ServerLike }): SnapshotVolumeInput =>
    rest.volumeId
      ? rest
      : { ...rest, instanceId: ctx.server?.instanceId, region: rest.region ?? ctx.server?.region }
  return defineStep({
    name: stepName ?? 'snapshotVolume',
    async run(ctx, env) {
      const snap = await snapshotVolume(request(ctx), stepOptions(env, { maxWaitTime }))
      return {
        snapshot: { snapshotId: snap.snapshotId, volumeId: snap.volumeId, region: snap.region },
      }
    },
    async undo(ctx, env) {
      const { snapshotId, region } = ctx.snapshot
      const gone = await deleteSnapshot({ snapshotId, region }, stepOptions(env))
      return gone
        ? `deleted snapshot ${snapshotId} in ${region}`
        : `snapshot ${snapshotId} was already gone`
    },
    plan(ctx, env) {
      const r = request(ctx)
      const volume = r.volumeId ?? `{{volume at ${r.device ?? 'root'} of ${String(r.instanceId)}}}`
      const entries: PlanEntry[] = []
      if (!r.volumeId)
        entries.push({
          kind: 'aws',
          service: 'EC2',
          operation: 'DescribeInstances',
          input: { InstanceIds: [r.instanceId] },
        })
      entries.push(
        {
          kind: 'aws',
          service: 'EC2',
          operation: 'DescribeSnapshots',
          input: { note: 'adopt a snapshot tagged with this run and step, if any' },
        },
        {
          kind: 'aws',
          service: 'EC2',
          operation: 'CreateSnapshot',
          input: createSnapshotInput({
            volumeId: volume,
            description: rest.description ?? `ferry ${env.step}: ${volume}`,
            runId: env.runId,
            step: env.step,
            name: rest.name,
            tags: rest.tags,
          }),
        },
        { kind: 'note', text: 'wait until the snapshot is completed (DescribeSnapshots Progress)' },
      )
      return entries
    },
    async preflight(ctx, env) {
      const o = stepOptions(env)
      const r = request(ctx)
      const client = await clientIn(await resolveRegion(knownRegion(r.region), o), o)
      const { CreateSnapshotCommand, DescribeInstancesCommand } = await sdk()
      if (!r.volumeId) {
        const instanceId = realOr(r.instanceId, validate.instanceId, 'i-00000000000000000')
        await dryRun('DescribeInstances', o, (abortSignal) =>
          client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId], DryRun: true }), {
            abortSignal,
          }),
        )
      }
      const VolumeId = r.volumeId ?? 'vol-00000000000000000'
      await dryRun('CreateSnapshot', o, (abortSignal) =>
        client.send(
          new CreateSnapshotCommand({
            ...createSnapshotInput({
              volumeId: VolumeId,
              description: 'preflight',
              runId: env.runId,
              step: env.step,
            }),
            DryRun: true,
          }),
          { abortSignal },
        ),
      )
    },
  })
}
