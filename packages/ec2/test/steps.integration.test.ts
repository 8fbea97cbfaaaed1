import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
} from '@aws-sdk/client-ec2'
import { afterAll, describe, expect, it } from 'vitest'
import { cmd, type FerryEvent } from '@ferry/core'
import { freePort } from '@ferry/lab'
import { launchWebServerStep, openPortsStep, runContainerStep } from '../src/index.js'
import { lab, readBackEc2, unique } from './lab.js'
import { testStepEnv } from './step-env.js'

const dir = mkdtempSync(join(tmpdir(), 'ferry-ec2-steps-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ec2 = readBackEc2()
const fast = { waiterMinDelay: 1000, maxWaitTime: 60_000 }

async function tagged(runId: string) {
  const f = [{ Name: 'tag:ferry:run', Values: [runId] }]
  const i = await ec2.send(
    new DescribeInstancesCommand({
      Filters: [...f, { Name: 'instance-state-name', Values: ['pending', 'running', 'stopped'] }],
    }),
  )
  const g = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: f }))
  const k = await ec2.send(new DescribeKeyPairsCommand({ Filters: f }))
  return {
    instances: i.Reservations?.flatMap((r) => r.Instances ?? []).length ?? 0,
    groups: g.SecurityGroups?.length ?? 0,
    keys: k.KeyPairs?.length ?? 0,
  }
}

describe('steps, driven as a pipeline drives them', () => {
  it('launch → open ports → run a container on the fleet, then undo in reverse leaves nothing', async () => {
    const runId = unique('run')
    const launch = launchWebServerStep(
      {
        name: 'web',
        count: 2,
        keyPair: { create: { path: join(dir, `${runId}.pem`) } },
        hostKey: { fingerprint: lab().ssh.hostKeyFingerprint },
      },
      fast,
    )
    const ports = openPortsStep(
      { https: 'world', ssh: 'me' },
      { myIp: () => Promise.resolve('203.0.113.9') },
    )
    const port = await freePort()
    const name = unique('site')
    const container = runContainerStep(
      {
        name,
        image: lab().docker.images.httpd,
        ports: { [port]: 80 },
        env: { MESSAGE: 'fleet' },
        health: { http: '/' },
      },
      { docker: lab().docker.bin, concurrency: 1 },
    )
    const events: FerryEvent[] = []
    const envs = [launch, ports, container].map((s) => testStepEnv({ runId, step: s.name, events }))
    try {
      // preflight: DryRun only, nothing created.
      await launch.preflight!({}, envs[0]!)
      const dry = events
        .filter((e) => e.type === 'aws:call')
        .map((e) => (e as { operation: string }).operation)
      expect(dry).toEqual(
        expect.arrayContaining(['CreateKeyPair', 'CreateSecurityGroup', 'RunInstances']),
      )
      expect(await tagged(runId)).toEqual({ instances: 0, groups: 0, keys: 0 })

      const ctx1 = await launch.run({}, envs[0]!)
      expect(ctx1.servers.map((s) => s.name)).toEqual(['web-1', 'web-2'])
      expect(ctx1.server.hostKeyFingerprint).toBe(lab().ssh.hostKeyFingerprint)
      expect(await tagged(runId)).toEqual({ instances: 2, groups: 1, keys: 1 })

      const ctx2 = { ...ctx1, ...(await ports.run(ctx1, envs[1]!)) }
      expect(ctx2.ingress.map((r) => `${r.fromPort} ${r.source} ${r.added}`)).toEqual([
        '443 0.0.0.0/0 true',
        '443 ::/0 true',
        '22 203.0.113.9/32 true',
      ])

      const ctx3 = { ...ctx2, ...(await container.run(ctx2, envs[2]!)) }
      const deployment = ctx3.containers[name]!
      expect(deployment.perServer).toHaveLength(2)
      expect(deployment.ports).toEqual([
        { hostIp: '127.0.0.1', host: port, container: 80, protocol: 'tcp' },
      ])
      expect((await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim()).toBe('fleet')

      // Undo in reverse order.
      expect(await container.undo!(ctx3, envs[2]!)).toBe(`removed container ${name}`)
      const host = await envs[2]!.host(ctx3.server)
      const names = await host.run(cmd(lab().docker.bin, 'ps', '-a', '--format', '{{.Names}}'), {
        sudo: true,
      })
      expect(names.stdout.split('\n')).not.toContain(name)

      expect(await ports.undo!(ctx3, envs[1]!)).toBe('revoked 3 ingress rules')
      const rules = await ec2.send(
        new DescribeSecurityGroupRulesCommand({
          Filters: [{ Name: 'group-id', Values: [ctx3.server.securityGroupId] }],
        }),
      )
      // What is left is the launch's own SSH rule from you; the launch's undo deletes the group.
      expect(
        rules.SecurityGroupRules?.filter((r) => !r.IsEgress).map((r) => [
          r.FromPort,
          r.CidrIpv4,
          r.Tags?.find((t) => t.Key === 'ferry:step')?.Value,
        ]),
      ).toEqual([[22, `${lab().aws.callerIp}/32`, 'launchWebServer']])

      expect(await launch.undo!(ctx3, envs[0]!)).toMatch(
        /^terminated i-.*, deleted sg-.*, deleted key pair ferry-web-/,
      )
      expect(await tagged(runId)).toEqual({ instances: 0, groups: 0, keys: 0 })
    } finally {
      for (const env of envs) await env.close()
    }
  })

  it('plans without calling anything: the exact RunInstances input and the container command', () => {
    const launch = launchWebServerStep({ name: 'web', keyPair: { create: { path: '/tmp/x.pem' } } })
    const plan = launch.plan!(
      {},
      { runId: 'r1', step: 'launch', aws: {}, token: (p = '') => `tok-${p}` },
    )
    const run = plan.find((p) => p.kind === 'aws' && p.operation === 'RunInstances')
    expect(run).toMatchObject({
      input: {
        ImageId: '{{ami.imageId}}',
        ClientToken: 'tok-run-instances-{{hash of the request}}',
        MetadataOptions: { HttpTokens: 'required' },
        BlockDeviceMappings: [
          { DeviceName: '{{ami.rootDeviceName}}', Ebs: { Encrypted: true, VolumeType: 'gp3' } },
        ],
      },
    })
    const container = runContainerStep({
      name: 'api',
      image: 'ghcr.io/acme/api:1.4',
      ports: { 8080: 3000 },
    })
    expect(
      container.plan!(
        { server: { name: 'web', ssh: {} as never } },
        { runId: 'r1', step: 's', aws: {}, token: () => '' },
      ),
    ).toEqual([
      {
        kind: 'remote',
        host: 'web',
        command:
          'sudo -n -- docker run -d --name api --restart unless-stopped -p 127.0.0.1:8080:3000/tcp --label ferry.managed=true ghcr.io/acme/api:1.4',
      },
    ])
  })
})
