// Desired ingress as data: named ports (https/http/ssh) and custom rules, expanded to one entry
// per protocol+range+source, diffed against the group's rules, grouped into IpPermissions.
import type { IpPermission, SecurityGroupRule } from '@aws-sdk/client-ec2'
import { validate, ValidationError } from '@ferry/core'
import { networkCidr, WORLD } from './cidr.js'
import { checkSshReach } from './ssh-reach.js'

/** Where traffic may come from: everyone, the caller's address, a CIDR, or a security group. */
export type Source = 'world' | 'me' | (string & {})

/** Protocols ferry opens. */
export type Protocol = 'tcp' | 'udp'

/** A custom rule. */
export interface IngressRuleSpec {
  port: number | string | { from: number; to: number }
  protocol?: Protocol
  from: Source | Source[]
  description?: string
}

/** Which ports to open (or close). With none of https/http/ssh/rules given, the defaults apply. */
export interface PortsSpec {
  /** 443/tcp. Default 'world'. */
  https?: Source | Source[] | false
  /** 80/tcp, for the HTTPS redirect and ACME http-01. Default 'world'. */
  http?: Source | Source[] | false
  /** The SSH port (22 unless the server says otherwise). Default 'me'. */
  ssh?: Source | Source[] | false
  rules?: IngressRuleSpec[]
  /**
   * SSH sources that together reach the world (0.0.0.0/0, ::/0, or any set covering a /7's worth
   * of addresses, see SSH_WORLD_PREFIX) are refused unless this is true (then a warning is emitted).
   */
  allowSshFromWorld?: boolean
}

/** One permission: a protocol and port range from one source. */
export interface IngressEntry {
  protocol: Protocol
  fromPort: number
  toPort: number
  /** A CIDR (network form) or a security group id. */
  source: string
  description: string
}

/** A rule as checked, before `me` is known. */
export interface CheckedRule {
  field: string
  protocol: Protocol
  fromPort: number
  toPort: number
  /** CIDRs, group ids, or 'me' (resolved later). */
  sources: string[]
  description: string
}

// The defaults follow the usual advice: HTTPS and HTTP (redirect, ACME) open, SSH only to you.
const defaults = { https: 'world', http: 'world', ssh: 'me' } as const

const DESCRIPTION = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/

/**
 * Validates a ports spec (defaults: https and http from the world, ssh from me) and refuses
 * SSH sources that together reach the world unless `allowSshFromWorld` is set.
 * @example
 * checkPorts({ https: 'world', ssh: 'me' }, { sshPort: 22 })
 */
export function checkPorts(spec: PortsSpec, o: { sshPort?: number } = {}): CheckedRule[] {
  if (typeof spec !== 'object' || spec === null)
    throw new ValidationError({
      field: 'ports',
      value: spec,
      allowed: 'an object such as { https: "world", ssh: "me" }',
    })
  const none =
    spec.https === undefined &&
    spec.http === undefined &&
    spec.ssh === undefined &&
    spec.rules === undefined
  const sshPort = validate.port(o.sshPort ?? 22, 'sshPort')
  const rules: CheckedRule[] = []
  const named: [keyof typeof defaults, number, string][] = [
    ['https', 443, 'ferry: https'],
    ['http', 80, 'ferry: http (redirect, ACME)'],
    ['ssh', sshPort, 'ferry: ssh'],
  ]
  for (const [field, port, description] of named) {
    const from = none ? defaults[field] : spec[field]
    if (from === undefined || from === false) continue
    const sources = checkSources(from, field)
    rules.push({ field, protocol: 'tcp', fromPort: port, toPort: port, sources, description })
  }
  ;(spec.rules ?? []).forEach((rule, i) => rules.push(checkRule(rule, `rules[${i}]`)))
  checkSshReach(rules, { sshPort, allow: spec.allowSshFromWorld === true })
  return rules
}

/**
 * The entries of checked rules with `me` resolved to one address (a /32 or /128; a wider answer
 * from the resolver is refused).
 * @example
 * desiredIngress(checkPorts({ ssh: 'me' }), { me: '203.0.113.7' })
 */
export function desiredIngress(
  rules: readonly CheckedRule[],
  o: { me?: string } = {},
): IngressEntry[] {
  const entries = new Map<string, IngressEntry>()
  for (const rule of rules)
    for (const source of rule.sources) {
      if (source === 'me' && !o.me)
        throw new ValidationError({
          field: rule.field,
          value: 'me',
          allowed: 'a resolved caller address (myIp)',
        })
      const resolved = source === 'me' ? oneAddress(o.me) : source
      const entry = {
        protocol: rule.protocol,
        fromPort: rule.fromPort,
        toPort: rule.toPort,
        source: resolved,
        description: rule.description,
      }
      entries.set(entryKey(entry), entry)
    }
  return [...entries.values()]
}

/**
 * True when any rule needs the caller's address.
 * @example
 * needsMe(checkPorts({ ssh: 'me' })) // true
 */
export const needsMe = (rules: readonly CheckedRule[]): boolean =>
  rules.some((r) => r.sources.includes('me'))

/**
 * A stable identity of an entry: protocol, range and source (not the description).
 * @example
 * entryKey({ protocol: 'tcp', fromPort: 443, toPort: 443, source: '::/0' }) // 'tcp:443-443:::/0'
 */
export function entryKey(
  e: Pick<IngressEntry, 'protocol' | 'fromPort' | 'toPort' | 'source'>,
): string {
  return `${e.protocol}:${e.fromPort}-${e.toPort}:${e.source}`
}

/**
 * Splits desired entries into those the group lacks and those it has (with their rule ids).
 * @example
 * const { missing, present } = ingressDiff(desired, out.SecurityGroupRules ?? [])
 */
export function ingressDiff(
  desired: readonly IngressEntry[],
  rules: readonly SecurityGroupRule[],
): { missing: IngressEntry[]; present: (IngressEntry & { ruleId: string })[] } {
  const existing = new Map<string, string>()
  for (const rule of rules) {
    if (rule.IsEgress) continue
    const source = rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.ReferencedGroupInfo?.GroupId
    if (!source || (rule.IpProtocol !== 'tcp' && rule.IpProtocol !== 'udp')) continue
    const key = entryKey({
      protocol: rule.IpProtocol,
      fromPort: rule.FromPort ?? -1,
      toPort: rule.ToPort ?? -1,
      source: source.includes('/') ? networkCidr(source) : source,
    })
    existing.set(key, rule.SecurityGroupRuleId ?? '')
  }
  const missing: IngressEntry[] = []
  const present: (IngressEntry & { ruleId: string })[] = []
  for (const entry of desired) {
    const ruleId = existing.get(entryKey(entry))
    if (ruleId === undefined) missing.push(entry)
    else present.push({ ...entry, ruleId })
  }
  return { missing, present }
}

/**
 * IpPermissions for entries, one per protocol and port range.
 * @example
 * ipPermissions(missing) // [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [...], Ipv6Ranges: [...] }]
 */
export function ipPermissions(entries: readonly IngressEntry[]): IpPermission[] {
  const byRange = new Map<string, IpPermission>()
  for (const e of entries) {
    const key = `${e.protocol}:${e.fromPort}-${e.toPort}`
    const p = byRange.get(key) ?? { IpProtocol: e.protocol, FromPort: e.fromPort, ToPort: e.toPort }
    const Description = e.description
    if (e.source.startsWith('sg-'))
      (p.UserIdGroupPairs ??= []).push({ GroupId: e.source, Description })
    else if (e.source.includes(':')) (p.Ipv6Ranges ??= []).push({ CidrIpv6: e.source, Description })
    else (p.IpRanges ??= []).push({ CidrIp: e.source, Description })
    byRange.set(key, p)
  }
  return [...byRange.values()]
}

// `me` stands for one caller: a resolver answering a block (0.0.0.0/0 …) must not widen it.
function oneAddress(me: unknown): string {
  const block = networkCidr(me, 'myIp')
  if (!block.endsWith(block.includes(':') ? '/128' : '/32'))
    throw new ValidationError({
      field: 'myIp',
      value: me,
      allowed: 'one address (a /32 or /128), as the caller is one host',
    })
  return block
}

function checkRule(rule: IngressRuleSpec, field: string): CheckedRule {
  if (typeof rule !== 'object' || rule === null)
    throw new ValidationError({
      field,
      value: rule,
      allowed: '{ port, protocol?, from, description? }',
    })
  const range = validate.portRange(rule.port, `${field}.port`)
  const protocol = rule.protocol ?? 'tcp'
  if (protocol !== 'tcp' && protocol !== 'udp')
    throw new ValidationError({
      field: `${field}.protocol`,
      value: protocol,
      allowed: "'tcp' or 'udp'",
    })
  const description =
    rule.description ??
    `ferry: ${protocol} ${range.from === range.to ? range.from : `${range.from}-${range.to}`}`
  if (typeof description !== 'string' || !DESCRIPTION.test(description))
    throw new ValidationError({
      field: `${field}.description`,
      value: description,
      allowed: 'up to 255 of a-z A-Z 0-9 space and ._-:/()#,@[]+=&;{}!$*',
    })
  return {
    field,
    protocol,
    fromPort: range.from,
    toPort: range.to,
    sources: checkSources(rule.from, `${field}.from`),
    description,
  }
}

function checkSources(from: Source | Source[], field: string): string[] {
  const list = [from].flat()
  if (list.length === 0)
    throw new ValidationError({
      field,
      value: from,
      allowed: "at least one source: 'world', 'me', a CIDR or sg-…",
    })
  return list.flatMap((s) => {
    if (s === 'world') return [...WORLD]
    if (s === 'me') return ['me']
    if (typeof s === 'string' && s.startsWith('sg-')) return [validate.securityGroupId(s, field)]
    return [networkCidr(s, field)]
  })
}
