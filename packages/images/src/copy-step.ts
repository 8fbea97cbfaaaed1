// copyAmiStep: the pipeline face of copyAmi.
import { defineStep, type Step, validate } from '@ferry/core'
import { clientIn, sdk } from './clients.js'
import { checkCopyInput, copyImageInput, type CopyAmiInput } from './copy-input.js'
import { copyAmi } from './copy-ami.js'
import { deleteAmi } from './delete-ami.js'
import { dryRun } from './ec2-call.js'
import { realOr, stepOptions, type AmiRef } from './step-env.js'
import { resourceTags } from './tags.js'

/** Settings of a copy step: everything but the source, which is `ctx.ami`. */
export type CopyAmiStepInput = Omit<CopyAmiInput, 'imageId' | 'sourceRegion'> & {
  stepName?: string
  maxWaitTime?: number
}

/**
 * A step that copies `ctx.ami` to other regions in parallel. Adds
 * `{ amiCopies: { [region]: imageId } }`; undo deregisters each copy and deletes its snapshots.
 * @example
 * pipeline.use(createAmiStep()).use(copyAmiStep({ regions: ['eu-west-1', 'ap-south-1'] }))
 */
export function copyAmiStep(
  input: CopyAmiStepInput,
): Step<{ ami: AmiRef }, { amiCopies: Record<string, string> }> {
  const { stepName, maxWaitTime, ...rest } = input
  checkCopyInput({ ...rest, imageId: 'ami-00000000' })
  return defineStep({
    name: stepName ?? 'copyAmi',
    async run(ctx: { ami: AmiRef }, env) {
      const out = await copyAmi(
        { ...rest, imageId: ctx.ami.imageId, sourceRegion: ctx.ami.region },
        stepOptions(env, { maxWaitTime }),
      )
      return { amiCopies: out.imageIds }
    },
    async undo(ctx, env) {
      const done = await Promise.all(
        Object.entries(ctx.amiCopies).map(([region, imageId]) =>
          deleteAmi({ imageId, region }, stepOptions(env)),
        ),
      )
      return `deregistered ${
        done
          .filter((d) => d.deregistered)
          .map((d) => `${d.imageId} (${d.region})`)
          .join(', ') || 'nothing (already gone)'
      }`
    },
    plan(ctx, env) {
      const name = rest.name ?? '{{ami.name}}'
      return [
        {
          kind: 'aws',
          service: 'EC2',
          operation: 'DescribeImages',
          input: {
            ImageIds: [ctx.ami.imageId],
            note: 'refuse an encrypted source without a key per region',
          },
        },
        ...rest.regions.map((region) => ({
          kind: 'aws' as const,
          service: 'EC2',
          operation: `CopyImage (${region})`,
          input: copyImageInput({
            imageId: ctx.ami.imageId,
            sourceRegion: ctx.ami.region,
            name,
            description: rest.description,
            token: env.token(`copy:${region}`),
            encryption: {
              encrypted: rest.encrypted === true || rest.kmsKeyIds?.[region] !== undefined,
              kmsKeyId: rest.kmsKeyIds?.[region],
            },
            tags: resourceTags({ runId: env.runId, step: env.step, name, tags: rest.tags }),
          }),
        })),
        {
          kind: 'note',
          text: `wait until each copy is available in ${rest.regions.join(', ')}, then tag it and its snapshots`,
        },
      ]
    },
    async preflight(ctx, env) {
      const o = stepOptions(env)
      const imageId = realOr(ctx.ami.imageId, (v) => validate.amiId(v), 'ami-00000000000000000')
      const { CopyImageCommand } = await sdk()
      await Promise.all(
        rest.regions.map(async (region) => {
          const client = await clientIn(region, o)
          const params = copyImageInput({
            imageId,
            sourceRegion: realOr(ctx.ami.region, (v) => validate.region(v), region),
            name: 'ferry-preflight',
            token: env.token(`preflight:${region}`),
            encryption: { encrypted: false },
            tags: [],
          })
          await dryRun('CopyImage', o, (abortSignal) =>
            client.send(new CopyImageCommand({ ...params, DryRun: true }), { abortSignal }),
          )
        }),
      )
    },
  })
}
