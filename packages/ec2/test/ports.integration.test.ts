import {
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
} from '@aws-sdk/client-ec2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConnectionError, ValidationError, type FerryEvent } from '@ferry/core'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  checkMyIp,
  closePorts,
  deleteEc2ByRun,
  launchWebServer,
  openPorts,
  revokeIngressRules,
  terminateWebServer,
  type WebServer,
} from '../src/index.js'
import { lab, labAws, noCallEc2, readBackEc2, unique } from './lab.js'

const ec2 = readBackEc2()
const myIp = () => Promise.resolve('198.51.100.23')
const dir = mkdtempSync(join(tmpdir(), 'ferry-ec2-ports-'))
let server: WebServer

/** The group's ingress as sorted 'proto from-to source' lines, read with a separate client. */
async function ingressOf(groupId: string): Promise<string[]> {
  const out = await ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  )
  return (out.SecurityGroupRules ?? [])
    .filter((r) => !r.IsEgress)
    .map(
      (r) =>
        `${r.IpProtocol} ${r.FromPort}-${r.ToPort} ${r.CidrIpv4 ?? r.CidrIpv6 ?? r.ReferencedGroupInfo?.GroupId}`,
    )
    .sort()
}

beforeAll(async () => {
  ;({ server } = await launchWebServer(
    {
      name: 'ports',
      keyPair: { create: { path: join(dir, 'k.pem') } },
      hostKey: { fingerprint: lab().ssh.hostKeyFingerprint },
      ready: 'running',
    },
    { aws: labAws(), runId: unique('run'), waiterMinDelay: 1000 },
  ))
})
afterAll(async () => {
  await terminateWebServer(server, { aws: labAws(), cleanup: true, waiterMinDelay: 1000 })
  rmSync(dir, { recursive: true, force: true })
})

describe('openPorts / closePorts on moto', () => {
  it('opens exactly the defaults (443 and 80 to the world, 22 to me), then nothing more on a second call', async () => {
    const firstEvents: FerryEvent[] = []
    const first = await openPorts(
      server,
      {},
      { aws: labAws(), myIp, onEvent: (e) => firstEvents.push(e) },
    )
    expect(first.ingress.every((r) => r.added && r.ruleId.startsWith('sgr-'))).toBe(true)
    expect(new Set(first.ingress.map((r) => r.ruleId)).size).toBe(5)
    // The ids come from the Authorize answer itself: no read-back that could miss new rules.
    const calls = firstEvents.flatMap((e) => (e.type === 'aws:call' ? [e.operation] : []))
    expect(calls.at(-1)).toBe('AuthorizeSecurityGroupIngress')
    const expected = [
      'tcp 22-22 198.51.100.23/32',
      'tcp 443-443 0.0.0.0/0',
      'tcp 443-443 ::/0',
      'tcp 80-80 0.0.0.0/0',
      'tcp 80-80 ::/0',
    ]
    expect(await ingressOf(server.securityGroupId)).toEqual(expected)

    const events: FerryEvent[] = []
    const second = await openPorts(
      server,
      {},
      { aws: labAws(), myIp, onEvent: (e) => events.push(e) },
    )
    expect(second.ingress.map((r) => r.added)).toEqual([false, false, false, false, false])
    expect(second.ingress.map((r) => r.ruleId).sort()).toEqual(
      first.ingress.map((r) => r.ruleId).sort(),
    )
    expect(
      events.some((e) => e.type === 'aws:call' && e.operation === 'AuthorizeSecurityGroupIngress'),
    ).toBe(false)
    expect(await ingressOf(server.securityGroupId)).toEqual(expected)
  })

  it('closes what it is told and leaves the rest', async () => {
    const { revoked } = await closePorts(server, { http: 'world' }, { aws: labAws() })
    expect(revoked.map((r) => r.source).sort()).toEqual(['0.0.0.0/0', '::/0'])
    expect(await ingressOf(server.securityGroupId)).toEqual([
      'tcp 22-22 198.51.100.23/32',
      'tcp 443-443 0.0.0.0/0',
      'tcp 443-443 ::/0',
    ])
    // Closing again is not an error.
    expect((await closePorts(server, { http: 'world' }, { aws: labAws() })).revoked).toEqual([])
  })

  it('refuses SSH from the world before any call; opens it with allowSshFromWorld and a warning', async () => {
    const error = await openPorts(server, { ssh: 'world' }, { ec2: noCallEc2() }).catch(
      (e: unknown) => e,
    )
    expect(ValidationError.is(error) && error.field).toBe('ssh')
    const events: FerryEvent[] = []
    const target = { instanceId: server.instanceId, ssh: server.ssh } // a plain ServerRef: the group is looked up
    await openPorts(
      target,
      { ssh: 'world', allowSshFromWorld: true },
      { aws: labAws(), onEvent: (e) => events.push(e) },
    )
    expect(events.filter((e) => e.type === 'warning')).toEqual([
      {
        type: 'warning',
        message: `SSH (port 22) on ${server.securityGroupId} is open to the whole internet, as asked (allowSshFromWorld).`,
      },
    ])
    expect(await ingressOf(server.securityGroupId)).toContain('tcp 22-22 0.0.0.0/0')
    await closePorts(server, { ssh: 'world' }, { aws: labAws() })
    expect(await ingressOf(server.securityGroupId)).not.toContain('tcp 22-22 0.0.0.0/0')
  })

  it("refuses CIDR sets and 'me' answers that reach the world for SSH before any AWS call", async () => {
    const refused = async (spec: Parameters<typeof openPorts>[1], answer = '198.51.100.23') => {
      const error = await openPorts(server, spec, {
        ec2: noCallEc2(),
        myIp: () => Promise.resolve(answer),
      }).catch((e: unknown) => e)
      return ValidationError.is(error) ? error.field : String(error)
    }
    expect(await refused({ ssh: ['0.0.0.0/1', '128.0.0.0/1'] })).toBe('ssh')
    expect(await refused({ ssh: ['::/1', '8000::/1'] })).toBe('ssh')
    expect(await refused({ ssh: 'me' }, '0.0.0.0/0')).toBe('myIp')
    expect(await refused({ ssh: 'me' }, '::/0')).toBe('myIp')
    expect(await refused({ ssh: 'me' }, '198.51.100.0/24')).toBe('myIp')
  })

  it('counts what the group already allows: adding the other half of the internet is refused', async () => {
    const { securityGroupId } = server
    await openPorts(server, { ssh: '0.0.0.0/1', allowSshFromWorld: true }, { aws: labAws() })
    try {
      const before = await ingressOf(securityGroupId)
      const error = await openPorts(server, { ssh: '128.0.0.0/1' }, { aws: labAws() }).catch(
        (e: unknown) => e,
      )
      expect(ValidationError.is(error) && error.field).toBe('ssh')
      expect(await ingressOf(securityGroupId)).toEqual(before)
    } finally {
      await closePorts(server, { ssh: '0.0.0.0/1' }, { aws: labAws() })
    }
  })

  it('opens ranges, udp and group sources, and revokes exactly those by rule id', async () => {
    const peer = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: unique('peer'), Description: 'peer' }),
    )
    const before = await ingressOf(server.securityGroupId)
    try {
      const { ingress } = await openPorts(
        server,
        { rules: [{ port: '8000-8100', protocol: 'udp', from: ['10.1.2.3/16', peer.GroupId!] }] },
        { aws: labAws() },
      )
      expect(await ingressOf(server.securityGroupId)).toEqual(
        [...before, 'udp 8000-8100 10.1.0.0/16', `udp 8000-8100 ${peer.GroupId}`].sort(),
      )
      await revokeIngressRules(
        server.securityGroupId,
        ingress.map((r) => r.ruleId),
        { aws: labAws() },
      )
      expect(await ingressOf(server.securityGroupId)).toEqual(before)
    } finally {
      await ec2.send(new DeleteSecurityGroupCommand({ GroupId: peer.GroupId }))
    }
  })

  it('tags the rules it adds with the run, so deleteEc2ByRun revokes them from a group the run did not create', async () => {
    const runId = unique('run')
    const group = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: unique('foreign'), Description: 'not ferry' }),
    )
    const groupId = group.GroupId!
    try {
      await openPorts(
        { securityGroupId: groupId },
        { https: 'world' },
        { aws: labAws(), runId, step: 'ports' },
      )
      expect(await ingressOf(groupId)).toEqual(['tcp 443-443 0.0.0.0/0', 'tcp 443-443 ::/0'])
      const deleted = await deleteEc2ByRun({ runId }, { aws: labAws() })
      expect(deleted.revokedRuleIds).toHaveLength(2)
      expect(deleted.securityGroupIds).toEqual([])
      expect(await ingressOf(groupId)).toEqual([])
    } finally {
      await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }))
    }
  })

  it("fails clearly when 'me' cannot be resolved", async () => {
    const error = await checkMyIp({ url: 'http://127.0.0.1:9/', timeoutMs: 2000 }).catch(
      (e: unknown) => e,
    )
    expect(ConnectionError.is(error)).toBe(true)
    expect((error as Error).message).toMatch(/pass myIp, or a CIDR instead of 'me'/)
  })
})
