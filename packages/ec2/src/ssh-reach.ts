// SSH exposure is judged by what the rules cover together, not by comparing one block's text
// with 0.0.0.0/0: '0.0.0.0/1' + '128.0.0.0/1' is the whole internet too.
import type { SecurityGroupRule } from '@aws-sdk/client-ec2'
import { ValidationError } from '@ferry/core'
import { addressesCovered, networkCidr } from './cidr.js'
import type { CheckedRule, IngressEntry } from './ingress.js'

/**
 * SSH sources of one family that together cover as many addresses as a /7 (1/128 of IPv4 or of
 * IPv6) count as "the world": far wider than any one organisation (the private ranges together
 * are about a /8), far short of a set that reaches everyone.
 * @example
 * SSH_WORLD_PREFIX // 7
 */
export const SSH_WORLD_PREFIX = 7

/**
 * True when CIDRs of one family together cover a /7's worth of addresses or more.
 * @example
 * reachesWorld(['0.0.0.0/1', '128.0.0.0/1']) // true
 */
export function reachesWorld(cidrs: readonly string[]): boolean {
  const { v4, v6 } = addressesCovered(cidrs)
  return v4 >= 1n << BigInt(32 - SSH_WORLD_PREFIX) || v6 >= 1n << BigInt(128 - SSH_WORLD_PREFIX)
}

/**
 * Refuses checked rules whose sources on the SSH port together reach the world, naming the rule
 * that tips the set over (unless `allow`).
 * @example
 * checkSshReach(rules, { sshPort: 22, allow: spec.allowSshFromWorld === true })
 */
export function checkSshReach(
  rules: readonly CheckedRule[],
  o: { sshPort: number; allow: boolean },
): void {
  if (o.allow) return
  const sources: string[] = []
  for (const rule of rules) {
    if (!coversSsh(rule, o.sshPort)) continue
    sources.push(...rule.sources.filter(isCidr))
    if (reachesWorld(sources)) throw refusal(rule.field, sources, o.sshPort)
  }
}

/**
 * True when the entries (with what a group already holds) open SSH to the world, as judged by
 * `reachesWorld`.
 * @example
 * opensSshToWorld(desiredIngress(checkPorts({ ssh: 'world', allowSshFromWorld: true }))) // true
 */
export function opensSshToWorld(entries: readonly IngressEntry[], sshPort = 22): boolean {
  return reachesWorld(sshSources(entries, sshPort))
}

/**
 * Refuses adding entries that would make a group's SSH reach the world when it did not before
 * (unless `allow`): the union counts the group's existing rules, all-traffic ones included.
 * @example
 * checkGroupSshReach(missing, groupRules, { sshPort: 22, allow: false })
 */
export function checkGroupSshReach(
  entries: readonly IngressEntry[],
  rules: readonly SecurityGroupRule[],
  o: { sshPort: number; allow: boolean },
): void {
  if (o.allow) return
  const held = rules.flatMap((r) => {
    const cidr = r.CidrIpv4 ?? r.CidrIpv6
    if (r.IsEgress || !cidr) return []
    const all = r.IpProtocol === '-1'
    const tcp =
      r.IpProtocol === 'tcp' && (r.FromPort ?? 0) <= o.sshPort && o.sshPort <= (r.ToPort ?? 65535)
    return all || tcp ? [networkCidr(cidr)] : []
  })
  const sources = [...held, ...sshSources(entries, o.sshPort)]
  if (!reachesWorld(held) && reachesWorld(sources)) throw refusal('ssh', sources, o.sshPort)
}

const isCidr = (source: string) => source !== 'me' && !source.startsWith('sg-')

const coversSsh = (r: Pick<IngressEntry, 'protocol' | 'fromPort' | 'toPort'>, port: number) =>
  r.protocol === 'tcp' && r.fromPort <= port && port <= r.toPort

const sshSources = (entries: readonly IngressEntry[], port: number) =>
  entries.filter((e) => coversSsh(e, port) && isCidr(e.source)).map((e) => e.source)

const refusal = (field: string, sources: string[], sshPort: number) =>
  new ValidationError({
    field,
    value: sources,
    allowed: `SSH (port ${sshPort}) sources that together cover less than a /${SSH_WORLD_PREFIX}'s worth of addresses per family: use 'me' or narrower CIDRs, or set allowSshFromWorld: true`,
  })
