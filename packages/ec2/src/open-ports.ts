// openPorts / closePorts: make a server's security group allow exactly the requested ingress.
// Idempotent: rules that exist are kept (and reported), only missing ones are authorized.
import { AwsError, ferryTags, validate, ValidationError, type ServerRef } from '@ferry/core'
import {
  checkPorts,
  desiredIngress,
  entryKey,
  ingressDiff,
  ipPermissions,
  needsMe,
  type IngressEntry,
  type PortsSpec,
} from './ingress.js'
import { checkMyIp, type MyIpResolver } from './my-ip.js'
import { checkGroupSshReach, opensSshToWorld } from './ssh-reach.js'
import { ec2Call, ec2CallFresh, ec2Context, type Ec2Context, type Ec2Options } from './sdk.js'
import { describeAllInstances } from './tagged.js'

/** A server (its instance's only security group) or a security group. */
export type PortsTarget = ServerRef | { securityGroupId: string; ssh?: { port?: number } }

/** Options of openPorts / closePorts. */
export interface PortsOptions extends Ec2Options {
  /** Resolves `me`; default asks checkip.amazonaws.com (5 s timeout). */
  myIp?: MyIpResolver
  /** Tags the rules it adds with the run and step (so deleteEc2ByRun revokes them). */
  runId?: string
  step?: string
}

/** A rule in the group, as openPorts reports it. */
export interface IngressRule extends IngressEntry {
  securityGroupId: string
  ruleId: string
  /** True when this call added it (undo revokes only these). */
  added: boolean
}

/**
 * Opens ports on a server's security group; existing rules are left as they are.
 * With no ports named: 443 and 80 from the world, 22 from your address only.
 * @example
 * await openPorts(server, { https: 'world', http: 'world', ssh: 'me' })
 */
export async function openPorts(
  target: PortsTarget,
  spec: PortsSpec = {},
  options: PortsOptions = {},
): Promise<{ securityGroupId: string; ingress: IngressRule[] }> {
  const sshPort = target.ssh?.port ?? 22
  const rules = checkPorts(spec, { sshPort })
  // `me` is resolved and checked (one address) before any AWS call.
  const me = needsMe(rules) ? await (options.myIp ?? checkMyIp)() : undefined
  desiredIngress(rules, { me })
  const ctx = await ec2Context({ ...options, region: options.region ?? regionOf(target) })
  const groupId = await targetGroup(ctx, target)
  return openPortsWith(ctx, { groupId, spec, sshPort, options, me })
}

/**
 * openPorts on a resolved context and group (launchWebServer opens SSH to you with it before
 * its SSH rung: a new group has no ingress, and on AWS nothing would answer).
 * @example
 * await openPortsWith(ctx, { groupId, spec: { ssh: 'me', https: false, http: false }, sshPort: 22, options })
 */
export async function openPortsWith(
  ctx: Ec2Context,
  o: { groupId: string; spec: PortsSpec; sshPort: number; options: PortsOptions; me?: string },
): Promise<{ securityGroupId: string; ingress: IngressRule[] }> {
  const { groupId, sshPort, options } = o
  const rules = checkPorts(o.spec, { sshPort })
  const me = o.me ?? (needsMe(rules) ? await (options.myIp ?? checkMyIp)() : undefined)
  const desired = desiredIngress(rules, { me })
  const reach = { sshPort, allow: o.spec.allowSshFromWorld === true }
  if (opensSshToWorld(desired, sshPort))
    ctx.emit({
      type: 'warning',
      message: `SSH (port ${sshPort}) on ${groupId} is open to the whole internet, as asked (allowSshFromWorld).`,
    })
  const held = await groupRules(ctx, groupId)
  let { missing, present } = ingressDiff(desired, held)
  // What the group already allows counts too: ours plus theirs must not reach the world.
  checkGroupSshReach(missing, held, reach)
  let added: IngressRule[] = []
  try {
    added = await authorize(ctx, { groupId, entries: missing, options })
  } catch (error) {
    // Someone added one of them meanwhile: diff again and add the rest.
    if (!(AwsError.is(error) && error.awsCode === 'InvalidPermission.Duplicate')) throw error
    ;({ missing, present } = ingressDiff(desired, await groupRules(ctx, groupId)))
    added = await authorize(ctx, { groupId, entries: missing, options })
  }
  const kept = present.map((e) => ({ ...e, securityGroupId: groupId, added: false }))
  return { securityGroupId: groupId, ingress: [...kept, ...added] }
}

/**
 * Revokes the rules a ports spec describes, where they exist; absent ones are skipped.
 * @example
 * await closePorts(server, { http: 'world' })
 */
export async function closePorts(
  target: PortsTarget,
  spec: PortsSpec,
  options: PortsOptions = {},
): Promise<{ securityGroupId: string; revoked: IngressRule[] }> {
  const sshPort = target.ssh?.port ?? 22
  const rules = checkPorts({ allowSshFromWorld: true, ...spec }, { sshPort })
  const ctx = await ec2Context({ ...options, region: options.region ?? regionOf(target) })
  const groupId = await targetGroup(ctx, target)
  const me = needsMe(rules) ? await (options.myIp ?? checkMyIp)() : undefined
  const { present } = ingressDiff(desiredIngress(rules, { me }), await groupRules(ctx, groupId))
  await revokeWith(
    ctx,
    groupId,
    present.map((e) => e.ruleId),
  )
  return {
    securityGroupId: groupId,
    revoked: present.map((e) => ({ ...e, securityGroupId: groupId, added: false })),
  }
}

/**
 * Revokes ingress rules by id (what an openPorts step added); missing ones are skipped.
 * @example
 * await revokeIngressRules('sg-0123456789abcdef0', ['sgr-0123456789abcdef0'])
 */
export async function revokeIngressRules(
  securityGroupId: string,
  ruleIds: readonly string[],
  options: Ec2Options = {},
): Promise<void> {
  validate.securityGroupId(securityGroupId, 'securityGroupId')
  const ctx = await ec2Context(options)
  const existing = new Set(
    (await groupRules(ctx, securityGroupId)).map((r) => r.SecurityGroupRuleId),
  )
  await revokeWith(
    ctx,
    securityGroupId,
    ruleIds.filter((id) => existing.has(id)),
  )
}

async function authorize(
  ctx: Ec2Context,
  {
    groupId,
    entries,
    options,
  }: { groupId: string; entries: IngressEntry[]; options: PortsOptions },
): Promise<IngressRule[]> {
  if (entries.length === 0) return []
  // The group may be minutes old or milliseconds (a launch's own): NotFound can mean "not yet".
  const out = await ec2CallFresh(
    ctx,
    { operation: 'AuthorizeSecurityGroupIngress', codes: ['InvalidGroup.NotFound'] },
    (s, ec2) =>
      ec2.send(
        new s.AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: ipPermissions(entries),
          ...(options.runId
            ? {
                TagSpecifications: [
                  {
                    ResourceType: 'security-group-rule',
                    Tags: ferryTags({ runId: options.runId, step: options.step }),
                  },
                ],
              }
            : {}),
        }),
      ),
  )
  // The answer lists every rule it added, with its id: reading the group back right away could
  // miss them (eventual consistency). Only an answer without them makes ferry read back.
  const answered = out.SecurityGroupRules ?? []
  const rules = answered.length >= entries.length ? answered : await groupRules(ctx, groupId)
  const { present } = ingressDiff(entries, rules)
  const ids = new Map(present.map((e) => [entryKey(e), e.ruleId]))
  return entries.map((e) => ({
    ...e,
    securityGroupId: groupId,
    ruleId: ids.get(entryKey(e)) ?? '',
    added: true,
  }))
}

async function revokeWith(ctx: Ec2Context, groupId: string, ruleIds: string[]): Promise<void> {
  if (ruleIds.length === 0) return
  await ec2Call(ctx, 'RevokeSecurityGroupIngress', (s, ec2) =>
    ec2.send(
      new s.RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ruleIds }),
    ),
  )
}

async function groupRules(ctx: Ec2Context, groupId: string) {
  const out = await ec2Call(ctx, 'DescribeSecurityGroupRules', (s, ec2) =>
    ec2.send(
      new s.DescribeSecurityGroupRulesCommand({
        Filters: [{ Name: 'group-id', Values: [groupId] }],
      }),
    ),
  )
  return out.SecurityGroupRules ?? []
}

async function targetGroup(ctx: Ec2Context, target: PortsTarget): Promise<string> {
  if ('securityGroupId' in target && target.securityGroupId)
    return validate.securityGroupId(target.securityGroupId, 'securityGroupId')
  const id = validate.instanceId((target as ServerRef).instanceId, 'server.instanceId')
  const [instance] = await describeAllInstances(ctx, [], [id])
  const groups = instance?.SecurityGroups?.flatMap((g) => (g.GroupId ? [g.GroupId] : [])) ?? []
  if (groups.length !== 1)
    throw new ValidationError({
      field: 'securityGroupId',
      value: groups,
      allowed: `exactly one security group on ${id}; pass { securityGroupId } to choose`,
    })
  return groups[0]!
}

function regionOf(target: PortsTarget): string | undefined {
  return 'region' in target && typeof target.region === 'string' ? target.region : undefined
}
