// deleteEc2ByRun: everything a run created in EC2, found by its ferry:run tag and deleted in
// dependency order. Ingress rules the run added to groups it did not create are revoked.
import { validate, ValidationError } from '@ferry/core'
import { ec2Call, ec2Context, type Ec2Context, type Ec2Options } from './sdk.js'
import { runFilters } from '@ferry/core'
import { findTagged } from './tagged.js'
import { deleteResourcesWith, type Ec2Resources } from './terminate.js'

/** What deleteEc2ByRun removed. */
export interface DeletedByRun extends Ec2Resources {
  /** Rules revoked from security groups the run did not create. */
  revokedRuleIds: string[]
}

/**
 * Deletes a run's instances (waiting until terminated), then its security groups, then its
 * key pairs; revokes rules it added to other groups. Safe to run twice.
 * @example
 * await deleteEc2ByRun({ runId: 'deploy-42', region: 'ap-south-1' })
 */
export async function deleteEc2ByRun(
  target: { runId: string; region?: string },
  options: Ec2Options & { maxWaitTime?: number; waiterMinDelay?: number } = {},
): Promise<DeletedByRun> {
  if (typeof target.runId !== 'string' || target.runId.trim() === '')
    throw new ValidationError({
      field: 'runId',
      value: target.runId,
      allowed: 'a non-empty run id',
    })
  if (target.region !== undefined) validate.region(target.region)
  const ctx = await ec2Context({ ...options, region: target.region ?? options.region })
  const found = await findTagged(ctx, { runId: target.runId })
  const resources: Ec2Resources = {
    instanceIds: found.instances.map((i) => i.InstanceId!).filter(Boolean),
    securityGroupIds: found.securityGroups.map((g) => g.groupId),
    keyNames: found.keyPairs.map((k) => k.keyName),
  }
  const revokedRuleIds = await revokeForeignRules(
    ctx,
    target.runId,
    new Set(resources.securityGroupIds),
  )
  await deleteResourcesWith(ctx, resources, {
    maxWaitTime: options.maxWaitTime,
    minDelay: options.waiterMinDelay,
  })
  ctx.emit({
    type: 'info',
    message: `Deleted run ${target.runId}: ${resources.instanceIds.length} instances, ${resources.securityGroupIds.length} security groups, ${resources.keyNames.length} key pairs, ${revokedRuleIds.length} rules.`,
  })
  return { ...resources, revokedRuleIds }
}

async function revokeForeignRules(
  ctx: Ec2Context,
  runId: string,
  ownGroups: Set<string>,
): Promise<string[]> {
  const out = await ec2Call(ctx, 'DescribeSecurityGroupRules', (s, ec2) =>
    ec2.send(new s.DescribeSecurityGroupRulesCommand({ Filters: runFilters({ runId }) })),
  )
  // ferry only adds ingress rules; those in groups the run created go with their group.
  const byGroup = new Map<string, string[]>()
  for (const rule of out.SecurityGroupRules ?? []) {
    if (rule.IsEgress || !rule.GroupId || !rule.SecurityGroupRuleId || ownGroups.has(rule.GroupId))
      continue
    byGroup.set(rule.GroupId, [...(byGroup.get(rule.GroupId) ?? []), rule.SecurityGroupRuleId])
  }
  for (const [GroupId, ids] of byGroup)
    await ec2Call(ctx, 'RevokeSecurityGroupIngress', (s, ec2) =>
      ec2.send(new s.RevokeSecurityGroupIngressCommand({ GroupId, SecurityGroupRuleIds: ids })),
    )
  return [...byGroup.values()].flat()
}
