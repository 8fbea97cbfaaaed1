// shareAmiStep: the pipeline face of shareAmi, optionally for every copy too.
import { defineStep, type Step, validate } from '@ferry/core'
import { clientIn, resolveRegion, sdk } from './clients.js'
import { dryRun } from './ec2-call.js'
import { shareAmi, unshareAmi, type ShareAmiResult } from './share-ami.js'
import {
  checkShareInput,
  launchPermissionInput,
  volumePermissionInputs,
  type ShareAmiInput,
} from './share-input.js'
import { realOr, stepOptions, type AmiRef } from './step-env.js'

/** Settings of a share step. */
export type ShareAmiStepInput = Omit<ShareAmiInput, 'imageId' | 'region'> & {
  /** Share `ctx.amiCopies` too. Default false. */
  includeCopies?: boolean
  stepName?: string
}

type ShareCtx = { ami: AmiRef; amiCopies?: Record<string, string> }

/**
 * A step that shares `ctx.ami` (and, with `includeCopies`, every copy) with accounts or, only
 * with `public: true`, publicly. Adds `{ amiShares }`; undo takes the permissions back.
 * @example
 * pipeline.use(copyAmiStep({ regions: ['eu-west-1'] })).use(shareAmiStep({ accountIds: ['123456789012'], includeCopies: true }))
 */
export function shareAmiStep(
  input: ShareAmiStepInput,
): Step<ShareCtx, { amiShares: ShareAmiResult[] }> {
  const { includeCopies, stepName, ...rest } = input
  checkShareInput({ ...rest, imageId: 'ami-00000000' })
  const targets = (ctx: ShareCtx) => [
    { imageId: ctx.ami.imageId, region: ctx.ami.region },
    ...(includeCopies
      ? Object.entries(ctx.amiCopies ?? {}).map(([region, imageId]) => ({ imageId, region }))
      : []),
  ]
  return defineStep({
    name: stepName ?? 'shareAmi',
    async run(ctx: ShareCtx, env) {
      const amiShares: ShareAmiResult[] = []
      // One at a time: a refusal (an encrypted copy made public) stops before later grants.
      try {
        for (const t of targets(ctx))
          amiShares.push(await shareAmi({ ...rest, ...t }, stepOptions(env)))
      } catch (error) {
        // Leave things as they were: take back the shares this run already made.
        for (const s of amiShares)
          await unshareAmi(
            { ...rest, imageId: s.imageId, region: s.region },
            stepOptions(env),
          ).catch(() => undefined)
        throw error
      }
      return { amiShares }
    },
    async undo(ctx, env) {
      for (const s of ctx.amiShares)
        await unshareAmi({ ...rest, imageId: s.imageId, region: s.region }, stepOptions(env))
      return `took back launch permissions on ${ctx.amiShares.map((s) => s.imageId).join(', ')}`
    },
    plan(ctx) {
      const who = checkShareInput({ ...rest, imageId: 'ami-00000000' })
      return targets(ctx).flatMap((t) => [
        {
          kind: 'aws' as const,
          service: 'EC2',
          operation: 'DescribeImages',
          input: {
            ImageIds: [t.imageId],
            note: `refuse public for an encrypted AMI (${t.region})`,
          },
        },
        {
          kind: 'aws' as const,
          service: 'EC2',
          operation: 'ModifyImageAttribute',
          input: launchPermissionInput(t.imageId, who, 'Add'),
        },
        ...(who.accountIds.length && rest.snapshots !== false
          ? [
              {
                kind: 'aws' as const,
                service: 'EC2',
                operation: 'ModifySnapshotAttribute',
                input: volumePermissionInputs(
                  [`{{snapshots of ${t.imageId}}}`],
                  who.accountIds,
                  'Add',
                )[0],
              },
            ]
          : []),
      ])
    },
    async preflight(ctx, env) {
      const o = stepOptions(env)
      const who = checkShareInput({ ...rest, imageId: 'ami-00000000' })
      const { ModifyImageAttributeCommand, ModifySnapshotAttributeCommand } = await sdk()
      for (const t of targets(ctx)) {
        const client = await clientIn(
          await resolveRegion(
            realOr(t.region, (v) => validate.region(v), env.aws.region ?? 'us-east-1'),
            o,
          ),
          o,
        )
        const imageId = realOr(t.imageId, (v) => validate.amiId(v), 'ami-00000000000000000')
        await dryRun('ModifyImageAttribute', o, (abortSignal) =>
          client.send(
            new ModifyImageAttributeCommand({
              ...launchPermissionInput(imageId, who, 'Add'),
              DryRun: true,
            }),
            { abortSignal },
          ),
        )
        if (who.accountIds.length && rest.snapshots !== false)
          await dryRun('ModifySnapshotAttribute', o, (abortSignal) =>
            client.send(
              new ModifySnapshotAttributeCommand({
                ...volumePermissionInputs(['snap-00000000000000000'], who.accountIds, 'Add')[0]!,
                DryRun: true,
              }),
              { abortSignal },
            ),
          )
      }
    },
  })
}
