// createAmiStep: the pipeline face of createAmi, from ctx.snapshot or ctx.server.
import { defineStep, type Step, validate } from '@ferry/core'
import {
  checkAmiInput,
  createImageInput,
  registerImageInput,
  type AmiArchitecture,
  type AmiFromInstance,
  type AmiFromSnapshot,
} from './ami-input.js'
import { clientIn, resolveRegion, sdk } from './clients.js'
import { createAmi } from './create-ami.js'
import { deleteAmi } from './delete-ami.js'
import { dryRun } from './ec2-call.js'
import {
  knownRegion,
  realOr,
  stepOptions,
  type AmiRef,
  type ServerLike,
  type SnapshotRef,
} from './step-env.js'
import { resourceTags } from './tags.js'

type Common = { stepName?: string; maxWaitTime?: number }
// What a plan shows until createAmi reads the architecture off the snapshot's server.
const SOURCE_ARCHITECTURE = '{{architecture of the snapshot server}}' as AmiArchitecture
/** An AMI step from the context's snapshot (the default). */
export type AmiFromSnapshotStepInput = Omit<AmiFromSnapshot, 'snapshotId' | 'region'> &
  Common & { from?: 'snapshot' }
/** An AMI step from the context's server. */
export type AmiFromServerStepInput = Omit<AmiFromInstance, 'instanceId' | 'region'> &
  Common & { from: 'server' }

/**
 * A step that makes an AMI from `ctx.snapshot` (default) or, with `from: 'server'`, from
 * `ctx.server`. Adds `{ ami: { imageId, region, snapshotIds } }`; undo deregisters it and
 * deletes the snapshots it created (never the context's snapshot, which its own step owns).
 * @example
 * pipeline.use(snapshotVolumeStep()).use(createAmiStep({ architecture: 'x86_64' }))
 */
export function createAmiStep(
  input: AmiFromServerStepInput,
): Step<{ server: ServerLike }, { ami: AmiRef }>
export function createAmiStep(
  input?: AmiFromSnapshotStepInput,
): Step<{ snapshot: SnapshotRef }, { ami: AmiRef }>
export function createAmiStep(
  input: AmiFromSnapshotStepInput | AmiFromServerStepInput = {},
): Step<{ server?: ServerLike; snapshot?: SnapshotRef }, { ami: AmiRef }> {
  const { stepName, maxWaitTime, from, ...rest } = input
  const fromServer = from === 'server'
  checkAmiInput(
    fromServer ? { ...rest, instanceId: 'i-00000000' } : { ...rest, snapshotId: 'snap-00000000' },
  )
  const request = (ctx: { server?: ServerLike; snapshot?: SnapshotRef }) =>
    fromServer
      ? {
          ...(rest as AmiFromInstance),
          instanceId: ctx.server?.instanceId as string,
          region: ctx.server?.region,
        }
      : {
          ...(rest as AmiFromSnapshot),
          snapshotId: ctx.snapshot?.snapshotId as string,
          region: ctx.snapshot?.region,
        }
  return defineStep({
    name: stepName ?? 'createAmi',
    async run(ctx, env) {
      const ami = await createAmi(request(ctx), stepOptions(env, { maxWaitTime }))
      return { ami: { imageId: ami.imageId, region: ami.region, snapshotIds: ami.snapshotIds } }
    },
    async undo(ctx, env) {
      const keep = ctx.snapshot && !fromServer ? [ctx.snapshot.snapshotId] : []
      const r = await deleteAmi(
        { imageId: ctx.ami.imageId, region: ctx.ami.region, keepSnapshotIds: keep },
        stepOptions(env),
      )
      return r.deregistered
        ? `deregistered ${r.imageId} in ${r.region}, deleted ${r.deletedSnapshotIds.join(', ') || 'no snapshots'}`
        : `AMI ${r.imageId} was already gone`
    },
    plan(ctx, env) {
      const r = request(ctx)
      const name = r.name ?? `ferry-${env.runId}-${env.step}`
      const tags = resourceTags({ runId: env.runId, step: env.step, name, tags: r.tags })
      const call =
        'instanceId' in r
          ? { operation: 'CreateImage', input: createImageInput({ ...r, name }, tags) }
          : {
              operation: 'RegisterImage',
              input: registerImageInput(
                { ...r, name, architecture: r.architecture ?? SOURCE_ARCHITECTURE },
                tags,
              ),
            }
      return [
        {
          kind: 'aws',
          service: 'EC2',
          operation: 'DescribeImages',
          input: { note: 'adopt an AMI tagged with this run and step, if any' },
        },
        { kind: 'aws', service: 'EC2', ...call },
        { kind: 'note', text: 'wait until the image is available (DescribeImages)' },
        {
          kind: 'aws',
          service: 'EC2',
          operation: 'CreateTags',
          input: { Resources: ['{{ami.imageId}}', '{{ami.snapshotIds}}'], Tags: tags },
        },
      ]
    },
    async preflight(ctx, env) {
      const o = stepOptions(env)
      const r = request(ctx)
      const client = await clientIn(await resolveRegion(knownRegion(r.region), o), o)
      const { CreateImageCommand, RegisterImageCommand } = await sdk()
      const tags = resourceTags({ runId: env.runId, step: env.step })
      if ('instanceId' in r) {
        const instanceId = realOr(r.instanceId, validate.instanceId, 'i-00000000000000000')
        await dryRun('CreateImage', o, (abortSignal) =>
          client.send(
            new CreateImageCommand({
              ...createImageInput({ ...r, instanceId, name: 'ferry-preflight' }, tags),
              DryRun: true,
            }),
            { abortSignal },
          ),
        )
      } else {
        const snapshotId = realOr(r.snapshotId, validate.snapshotId, 'snap-00000000000000000')
        await dryRun('RegisterImage', o, (abortSignal) =>
          client.send(
            new RegisterImageCommand({
              ...registerImageInput(
                {
                  ...r,
                  snapshotId,
                  name: 'ferry-preflight',
                  architecture: r.architecture ?? 'x86_64',
                },
                tags,
              ),
              DryRun: true,
            }),
            { abortSignal },
          ),
        )
      }
    },
  })
}
