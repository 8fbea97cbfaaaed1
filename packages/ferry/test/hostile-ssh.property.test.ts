// Property: no ports spec and no `me` answer opens SSH to the world without allowSshFromWorld.
// Checked where it matters, on the AWS input: whatever AuthorizeSecurityGroupIngress would
// receive is counted by the test's own oracle. Refusals are typed and come before any AWS call.
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { openPorts, type PortsSpec } from '@ferry/ec2'
import { covered, expectRefusal, meAnswer, recordingEc2, sourceSet, SSH_LIMIT } from './hostile.js'

let inputs = 0
afterAll(() => expect(inputs).toBeGreaterThanOrEqual(600))

const group = { securityGroupId: 'sg-0123456789abcdef0' }

// The CIDRs an AuthorizeSecurityGroupIngress input lets reach TCP port `port`.
function sshCidrs(calls: { name: string; input: unknown }[], port: number): string[] {
  type Permission = {
    IpProtocol?: string
    FromPort?: number
    ToPort?: number
    IpRanges?: { CidrIp?: string }[]
    Ipv6Ranges?: { CidrIpv6?: string }[]
  }
  return calls
    .filter((c) => c.name === 'AuthorizeSecurityGroupIngressCommand')
    .flatMap((c) => (c.input as { IpPermissions?: Permission[] }).IpPermissions ?? [])
    .filter(
      (p) =>
        (p.IpProtocol === 'tcp' && (p.FromPort ?? 0) <= port && port <= (p.ToPort ?? 0)) ||
        p.IpProtocol === '-1',
    )
    .flatMap((p) => [
      ...(p.IpRanges ?? []).map((r) => r.CidrIp ?? ''),
      ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? ''),
    ])
}

const portsSpec = fc.record(
  {
    ssh: sourceSet,
    https: fc.constantFrom('world', undefined),
    rules: fc.array(
      fc.record({
        port: fc.oneof(
          fc.constantFrom(22, '1-1024', '20-30', 2222),
          fc.integer({ min: 1, max: 65535 }),
        ),
        protocol: fc.constantFrom('tcp', 'udp', undefined),
        from: sourceSet,
      }),
      { maxLength: 3 },
    ),
    allowSshFromWorld: fc.constantFrom(false, undefined, 'yes', 1),
  },
  { requiredKeys: [] },
)

describe('SSH is never opened to the world without allowSshFromWorld', () => {
  test('whatever the ports spec, the sources and the myIp answer', async () => {
    await fc.assert(
      fc.asyncProperty(
        portsSpec,
        meAnswer,
        fc.constantFrom(22, 2222),
        async (spec, me, sshPort) => {
          inputs++
          const ec2 = recordingEc2()
          const target = { ...group, ssh: { port: sshPort } }
          const result = await openPorts(target, spec as PortsSpec, {
            ec2,
            region: 'us-east-1',
            myIp: () => Promise.resolve(me),
          }).catch((e: unknown) => e)
          if (result instanceof Error) {
            expectRefusal(result, ['ssh', 'https', 'http', 'rules', 'myIp', 'ports'])
            // Refused on the input alone: not one AWS call.
            expect(ec2.calls).toEqual([])
            return
          }
          const reach = covered(sshCidrs(ec2.calls, sshPort))
          expect(reach.v4 < SSH_LIMIT.v4 && reach.v6 < SSH_LIMIT.v6).toBe(true)
        },
      ),
      { numRuns: 600 },
    )
  })

  test('with the opt-in, a world-wide set is opened (the property above is not vacuous)', async () => {
    const ec2 = recordingEc2()
    await openPorts(group, { ssh: ['0.0.0.0/1', '128.0.0.0/1'], allowSshFromWorld: true }, { ec2 })
    expect(covered(sshCidrs(ec2.calls, 22)).v4).toBe(1n << 32n)
  })
})
