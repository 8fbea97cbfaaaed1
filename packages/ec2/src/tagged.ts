// Finding what a run (and optionally one of its steps) created, by the ferry:run / ferry:step
// tags: for crash adoption before creating anything, and for teardown.
import type { Filter, Instance } from '@aws-sdk/client-ec2'
import { runFilters } from '@ferry/core'
import { ec2Call, type Ec2Context } from './sdk.js'

/** What a run created, as found in EC2. */
export interface TaggedResources {
  /** Instances not yet terminated (pending, running, stopping, stopped, shutting-down). */
  instances: Instance[]
  securityGroups: { groupId: string; groupName: string; vpcId?: string }[]
  keyPairs: { keyName: string; keyPairId?: string }[]
}

const LIVE = ['pending', 'running', 'stopping', 'stopped', 'shutting-down']

/**
 * Lists the instances, security groups and key pairs tagged with a run (and step).
 * @example
 * const found = await findTagged(ctx, { runId: 'r1' })
 */
export async function findTagged(
  ctx: Ec2Context,
  o: { runId: string; step?: string },
): Promise<TaggedResources> {
  const filters = runFilters(o)
  const [instances, groups, keys] = await Promise.all([
    describeAllInstances(ctx, [...filters, { Name: 'instance-state-name', Values: LIVE }]),
    ec2Call(ctx, 'DescribeSecurityGroups', (s, ec2) =>
      ec2.send(new s.DescribeSecurityGroupsCommand({ Filters: filters })),
    ),
    ec2Call(ctx, 'DescribeKeyPairs', (s, ec2) =>
      ec2.send(new s.DescribeKeyPairsCommand({ Filters: filters })),
    ),
  ])
  return {
    instances: instances.sort((a, b) => (a.AmiLaunchIndex ?? 0) - (b.AmiLaunchIndex ?? 0)),
    securityGroups: (groups.SecurityGroups ?? []).flatMap((g) =>
      g.GroupId
        ? [
            {
              groupId: g.GroupId,
              groupName: g.GroupName ?? '',
              ...(g.VpcId ? { vpcId: g.VpcId } : {}),
            },
          ]
        : [],
    ),
    keyPairs: (keys.KeyPairs ?? []).flatMap((k) =>
      k.KeyName ? [{ keyName: k.KeyName, ...(k.KeyPairId ? { keyPairId: k.KeyPairId } : {}) }] : [],
    ),
  }
}

/**
 * DescribeInstances over every page, by ids or filters.
 * @example
 * const [instance] = await describeAllInstances(ctx, [], ['i-0123456789abcdef0'])
 */
export async function describeAllInstances(
  ctx: Ec2Context,
  filters: Filter[],
  instanceIds?: readonly string[],
): Promise<Instance[]> {
  const out: Instance[] = []
  let token: string | undefined
  do {
    const page = await ec2Call(ctx, 'DescribeInstances', (s, ec2) =>
      ec2.send(
        new s.DescribeInstancesCommand({
          ...(filters.length ? { Filters: filters } : {}),
          ...(instanceIds ? { InstanceIds: [...instanceIds] } : {}),
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    )
    for (const r of page.Reservations ?? []) out.push(...(r.Instances ?? []))
    token = page.NextToken
  } while (token)
  return out
}
