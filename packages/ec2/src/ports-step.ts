// openPortsStep: openPorts on the security group(s) of the context's servers, adding
// { ingress }. Undo revokes only the rules this step added.
import {
  defineStep,
  isPlaceholder,
  serversOf,
  type PlanEntry,
  type ServerRef,
  type Step,
} from '@ferry/core'
import { checkPorts, ipPermissions, type IngressEntry, type PortsSpec } from './ingress.js'
import {
  openPorts,
  revokeIngressRules,
  type IngressRule,
  type PortsOptions,
  type PortsTarget,
} from './open-ports.js'
import { stepEc2 } from './step-env.js'

/** What the step needs: a server (or several, sharing or not a security group). */
export type PortsContext = { server: ServerRef; servers?: readonly ServerRef[] }

/**
 * A step that opens ports (see openPorts) on every server's security group.
 * @example
 * pipeline.use(launchWebServerStep({ name: 'web' })).use(openPortsStep({ https: 'world', ssh: 'me' }))
 */
export function openPortsStep(
  spec: PortsSpec = {},
  options: { name?: string; myIp?: PortsOptions['myIp'] } = {},
): Step<PortsContext, { ingress: IngressRule[] }> {
  checkPorts(spec)
  return defineStep({
    name: options.name ?? 'openPorts',
    async run(ctx: PortsContext, env) {
      const ingress: IngressRule[] = []
      for (const target of targets(ctx)) {
        const result = await openPorts(target, spec, {
          ec2: await stepEc2(env, target.region),
          myIp: options.myIp,
          runId: env.runId,
          step: env.step,
          onEvent: env.onEvent,
          signal: env.signal,
        })
        ingress.push(...result.ingress)
      }
      return { ingress }
    },
    async undo(ctx, env) {
      const added = ctx.ingress.filter((r) => r.added && r.ruleId)
      const groups = [...new Set(added.map((r) => r.securityGroupId))]
      for (const groupId of groups) {
        const ruleIds = added.filter((r) => r.securityGroupId === groupId).map((r) => r.ruleId)
        await revokeIngressRules(groupId, ruleIds, {
          ec2: await stepEc2(env),
          onEvent: env.onEvent,
        })
      }
      return `revoked ${added.length} ingress rules`
    },
    plan(ctx): PlanEntry[] {
      const entries: IngressEntry[] = checkPorts(spec).flatMap((rule) =>
        rule.sources.map((source) => ({
          protocol: rule.protocol,
          fromPort: rule.fromPort,
          toPort: rule.toPort,
          source: source === 'me' ? '{{myIp}}/32' : source,
          description: rule.description,
        })),
      )
      return targets(ctx).map((t) => ({
        kind: 'aws',
        service: 'EC2',
        operation: 'AuthorizeSecurityGroupIngress',
        input: {
          GroupId: planGroupId(t),
          IpPermissions: ipPermissions(entries),
          note: 'only the permissions the group lacks',
        },
      }))
    },
  })
}

// A placeholder server (from a plan) names its own group's path: {{server.securityGroupId}}.
function planGroupId(t: PortsTarget & { instanceId?: string }): string {
  if ('securityGroupId' in t && typeof t.securityGroupId === 'string') return t.securityGroupId
  if (isPlaceholder(t.instanceId))
    return String((t as { securityGroupId?: unknown }).securityGroupId)
  return `{{${t.instanceId}.securityGroupId}}`
}

/** One target per distinct security group (servers of one launch share theirs). */
function targets(ctx: PortsContext): (PortsTarget & { region?: string; instanceId?: string })[] {
  const seen = new Set<string>()
  return serversOf(ctx).filter((s) => {
    const key =
      'securityGroupId' in s && typeof s.securityGroupId === 'string'
        ? s.securityGroupId
        : (s.instanceId ?? '')
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
