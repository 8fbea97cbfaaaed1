// The lab's Global Accelerator: accelerator and tag operations, plain JSON in and out.
// "Before you can delete an accelerator, you must disable it and remove all dependent resources
// (listeners and endpoint groups)" — DeleteAccelerator, AWS Global Accelerator API Reference
// (https://docs.aws.amazon.com/global-accelerator/latest/api/API_DeleteAccelerator.html), with
// AcceleratorNotDisabledException and AssociatedListenerFoundException. A change is a deployment:
// the accelerator's Status is IN_PROGRESS until it has deployed ("Describes the deployment status
// of the accelerator", Accelerator data type), and while it is, UpdateAccelerator and
// DeleteAccelerator answer TransactionInProgressException ("There's already a transaction in
// progress. Another transaction can't be processed."): the API Reference lists that error for
// CreateAccelerator, UpdateAccelerator and DeleteAccelerator, not for listener or endpoint-group
// operations, so those go through while the accelerator deploys.
import { randomUUID } from 'node:crypto'
import type { AwsResponse } from '../respond'
import { GaError, hex, page, type GaAccount, type LabAccelerator, type LabGaTag } from './account'
import { checkEndpoints } from './endpoints'
import { acceleratorView } from './views'

/** A handler: the request's JSON → the response's JSON, or a thrown GaError. */
export type GaHandler = (input: Record<string, unknown>) => unknown

/** Reads EC2 from moto directly (for what an endpoint group needs to know of an instance). */
export type Ec2Read = (region: string, params: Record<string, string>) => Promise<AwsResponse>

/**
 * Handlers of the accelerator and tag operations, keyed by operation name.
 * @example
 * const out = await acceleratorHandlers(account, ec2).CreateAccelerator!({ Name: 'web' })
 */
export function acceleratorHandlers(account: GaAccount, ec2: Ec2Read): Record<string, GaHandler> {
  const { accelerators, listeners, groups, tags } = account
  const view = (a: LabAccelerator) => acceleratorView(account, a)
  return {
    CreateAccelerator: async (input) => ({
      Accelerator: await account.idempotent({
        kind: 'accelerator',
        input,
        found: (arn) => (accelerators.has(arn) ? view(account.acc(arn)) : undefined),
        make: () => {
          if (typeof input.Name !== 'string' || !input.Name)
            throw new GaError('InvalidArgumentException', 'Name is required.')
          const n = account.next()
          const a: LabAccelerator = {
            arn: `arn:aws:globalaccelerator::123456789012:accelerator/${randomUUID()}`,
            name: input.Name,
            enabled: input.Enabled !== false,
            ipAddressType: input.IpAddressType === 'DUAL_STACK' ? 'DUAL_STACK' : 'IPV4',
            // Documentation-like addresses in Global Accelerator's real pools, one per accelerator.
            ips: [`75.2.${n % 256}.1`, `99.83.${n % 256}.1`],
            ipv6s: [`2600:9000:a400:${n.toString(16)}::1`, `2600:9000:a500:${n.toString(16)}::1`],
            dnsName: `a${hex(16)}.awsglobalaccelerator.com`,
            dualStackDnsName: `a${hex(16)}.dualstack.awsglobalaccelerator.com`,
            createdMs: account.now(),
            modifiedMs: account.now(),
            deployedAtMs: 0,
          }
          account.change(a)
          accelerators.set(a.arn, a)
          tags.set(a.arn, [...((input.Tags as LabGaTag[] | undefined) ?? [])])
          return [a.arn, view(a)]
        },
      }),
    }),
    DescribeAccelerator: (input) => ({ Accelerator: view(account.acc(input.AcceleratorArn)) }),
    UpdateAccelerator: async (input) => {
      const a = account.acc(input.AcceleratorArn)
      refuseWhileDeploying(account, a)
      if (input.IpAddressType === 'DUAL_STACK' && a.ipAddressType !== 'DUAL_STACK')
        await checkDualStack(account, a, ec2)
      if (typeof input.Enabled === 'boolean') a.enabled = input.Enabled
      if (typeof input.Name === 'string') a.name = input.Name
      if (input.IpAddressType === 'IPV4' || input.IpAddressType === 'DUAL_STACK')
        a.ipAddressType = input.IpAddressType
      account.change(a)
      return { Accelerator: view(a) }
    },
    ListAccelerators: (input) => {
      const { items, NextToken } = page([...accelerators.values()], input)
      return { Accelerators: items.map(view), ...(NextToken ? { NextToken } : {}) }
    },
    DeleteAccelerator: (input) => {
      const a = account.acc(input.AcceleratorArn)
      refuseWhileDeploying(account, a)
      if (account.rule('dependents') && a.enabled)
        throw new GaError(
          'AcceleratorNotDisabledException',
          `Accelerator ${a.arn} is enabled: disable it (UpdateAccelerator Enabled=false) and wait until it is DEPLOYED before deleting it.`,
        )
      if (
        account.rule('dependents') &&
        [...listeners.values()].some((l) => l.acceleratorArn === a.arn)
      )
        throw new GaError(
          'AssociatedListenerFoundException',
          `Accelerator ${a.arn} has listeners: delete them (and their endpoint groups) first.`,
        )
      for (const l of [...listeners.values()].filter((x) => x.acceleratorArn === a.arn)) {
        for (const g of groups.values()) if (g.listenerArn === l.arn) groups.delete(g.arn)
        listeners.delete(l.arn)
      }
      accelerators.delete(a.arn)
      tags.delete(a.arn)
      return {}
    },
    ListTagsForResource: (input) => {
      account.acc(input.ResourceArn)
      return { Tags: [...(tags.get(String(input.ResourceArn)) ?? [])] }
    },
    TagResource: (input) => {
      const arn = account.acc(input.ResourceArn).arn
      const given = new Map(((input.Tags as LabGaTag[] | undefined) ?? []).map((t) => [t.Key, t]))
      const kept = (tags.get(arn) ?? []).filter((t) => !given.has(t.Key))
      tags.set(arn, [...kept, ...given.values()])
      return {}
    },
    UntagResource: (input) => {
      const arn = account.acc(input.ResourceArn).arn
      const drop = new Set((input.TagKeys as string[] | undefined) ?? [])
      tags.set(
        arn,
        (tags.get(arn) ?? []).filter((t) => !drop.has(t.Key)),
      )
      return {}
    },
  }
}

/**
 * TransactionInProgressException while the accelerator's last change is still deploying.
 * @example
 * refuseWhileDeploying(account, a)
 */
export function refuseWhileDeploying(account: GaAccount, a: LabAccelerator): void {
  if (account.rule('transaction') && account.status(a) === 'IN_PROGRESS')
    throw new GaError(
      'TransactionInProgressException',
      `There's already a transaction in progress for accelerator ${a.arn}. Another transaction can't be processed: wait until its Status is DEPLOYED.`,
    )
}

// Turning an accelerator dual-stack: every endpoint it already routes to must be dual-stack.
async function checkDualStack(account: GaAccount, a: LabAccelerator, ec2: Ec2Read): Promise<void> {
  if (!account.rule('endpoints')) return
  for (const l of account.listeners.values()) {
    if (l.acceleratorArn !== a.arn) continue
    for (const g of account.groups.values())
      if (g.listenerArn === l.arn)
        await checkEndpoints({
          accelerator: { ipAddressType: 'DUAL_STACK' },
          region: g.region,
          endpoints: g.endpoints,
          ec2,
        })
  }
}
