// The lab's Global Accelerator: accelerator and tag operations. A new or changed accelerator is
// IN_PROGRESS and turns DEPLOYED on the Nth DescribeAccelerator; DeleteAccelerator is refused
// while it is enabled, while a change is still IN_PROGRESS, or while it has listeners.
import { randomUUID } from 'node:crypto'
import type * as Sdk from '@aws-sdk/client-global-accelerator'
import { acceleratorView, hex, meta, page, type GaContext, type LabAccelerator } from './ga-state'

/** A handler: the command's input → its output, or a thrown SDK exception. */
export type GaHandler = (input: never) => unknown

/**
 * Handlers of the accelerator and tag operations, keyed by operation name.
 * @example
 * const out = acceleratorHandlers(ctx).CreateAccelerator!({ Name: 'web' } as never)
 */
export function acceleratorHandlers(ctx: GaContext): Record<string, GaHandler> {
  const { sdk, accelerators, listeners, tags } = ctx
  return {
    CreateAccelerator: (input: Sdk.CreateAcceleratorRequest) => ({
      Accelerator: ctx.idempotent({
        kind: 'accelerator',
        token: input.IdempotencyToken,
        found: (arn) => (accelerators.has(arn) ? acceleratorView(ctx.acc(arn)) : undefined),
        make: () => {
          const n = ctx.next()
          const a: LabAccelerator = {
            arn: `arn:aws:globalaccelerator::123456789012:accelerator/${randomUUID()}`,
            name: input.Name!,
            enabled: input.Enabled ?? true,
            status: 'IN_PROGRESS',
            pending: ctx.deployAfter,
            ipAddressType: input.IpAddressType ?? 'IPV4',
            // Documentation ranges of Global Accelerator's real pools, one per accelerator.
            ips: [`75.2.${n % 256}.1`, `99.83.${n % 256}.1`],
            dnsName: `a${hex(16)}.awsglobalaccelerator.com`,
            created: new Date(),
          }
          accelerators.set(a.arn, a)
          tags.set(a.arn, [...(input.Tags ?? [])])
          return [a.arn, acceleratorView(a)]
        },
      }),
    }),
    DescribeAccelerator: (input: Sdk.DescribeAcceleratorRequest) => {
      const a = ctx.acc(input.AcceleratorArn)
      if (a.status === 'IN_PROGRESS' && --a.pending <= 0) a.status = 'DEPLOYED'
      return { Accelerator: acceleratorView(a) }
    },
    UpdateAccelerator: (input: Sdk.UpdateAcceleratorRequest) => {
      const a = ctx.acc(input.AcceleratorArn)
      if (input.Enabled !== undefined) a.enabled = input.Enabled
      if (input.Name !== undefined) a.name = input.Name
      ctx.change(a)
      return { Accelerator: acceleratorView(a) }
    },
    ListAccelerators: (input: Sdk.ListAcceleratorsRequest) => {
      const { items, NextToken } = page([...accelerators.values()], input)
      return { Accelerators: items.map(acceleratorView), NextToken }
    },
    DeleteAccelerator: (input: Sdk.DeleteAcceleratorRequest) => {
      const a = ctx.acc(input.AcceleratorArn)
      if (a.enabled || a.status !== 'DEPLOYED')
        throw new sdk.AcceleratorNotDisabledException({
          message: 'disable the accelerator and wait until DEPLOYED',
          ...meta,
        })
      if ([...listeners.values()].some((l) => l.acceleratorArn === a.arn))
        throw new sdk.AssociatedListenerFoundException({
          message: 'delete its listeners first',
          ...meta,
        })
      accelerators.delete(a.arn)
      tags.delete(a.arn)
      return {}
    },
    ListTagsForResource: (input: Sdk.ListTagsForResourceRequest) => {
      ctx.acc(input.ResourceArn)
      return { Tags: [...(tags.get(input.ResourceArn!) ?? [])] }
    },
    TagResource: (input: Sdk.TagResourceRequest) => {
      ctx.acc(input.ResourceArn)
      const given = new Map((input.Tags ?? []).map((t) => [t.Key, t]))
      const kept = (tags.get(input.ResourceArn!) ?? []).filter((t) => !given.has(t.Key))
      tags.set(input.ResourceArn!, [...kept, ...given.values()])
      return {}
    },
    UntagResource: (input: Sdk.UntagResourceRequest) => {
      ctx.acc(input.ResourceArn)
      const drop = new Set(input.TagKeys ?? [])
      tags.set(
        input.ResourceArn!,
        (tags.get(input.ResourceArn!) ?? []).filter((t) => !drop.has(t.Key!)),
      )
      return {}
    },
  }
}
