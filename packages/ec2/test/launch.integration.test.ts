import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
} from '@aws-sdk/client-ec2'
import { afterAll, describe, expect, it } from 'vitest'
import { cmd, FerryError, ValidationError, type FerryEvent } from '@ferry/core'
import {
  launchWebServer,
  parsePrivateKey,
  terminateWebServer,
  webServerUserData,
} from '../src/index.js'
import { lab, labAws, labResolveHost, noCallEc2, readBackEc2, unique } from './lab.js'

const dir = mkdtempSync(join(tmpdir(), 'ferry-ec2-launch-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ec2 = readBackEc2()
const tagMap = (tags: { Key?: string; Value?: string }[] = []) =>
  Object.fromEntries(tags.map((t) => [t.Key, t.Value]))
const fast = { waiterMinDelay: 1000, maxWaitTime: 60_000 }

describe('launchWebServer against moto, reaching the lab sshd', () => {
  it('pins the host key from the console output by default, from the latest output (the buffered one lags)', async () => {
    const runId = unique('run')
    const { server } = await launchWebServer(
      { name: 'web', keyPair: { create: { path: join(dir, `${runId}.pem`) } }, ready: 'ssh' },
      { aws: labAws(), runId, resolveHost: labResolveHost, hostKeyWaitTime: 10_000, ...fast },
    )
    try {
      const key = lab().ssh.hostPublicKey.split(' ').slice(0, 2).join(' ')
      expect(server.ssh.hostKey).toEqual({ publicKey: [key] })
      expect((await server.host.run(cmd('whoami'))).stdout.trim()).toBe('ferry-deploy')
    } finally {
      await server.host.close()
      await terminateWebServer(server, { aws: labAws(), cleanup: true, ...fast })
    }
  })

  it('launches a tagged, encrypted, IMDSv2-only server with its own empty security group and a 0600 key', async () => {
    const runId = unique('run')
    const events: FerryEvent[] = []
    const path = join(dir, `${runId}.pem`)
    const ppkPath = join(dir, `${runId}.ppk`)
    const { server, servers } = await launchWebServer(
      {
        name: 'web',
        keyPair: { create: { path, ppkPath } },
        hostKey: { fingerprint: lab().ssh.hostKeyFingerprint },
      },
      {
        aws: labAws(),
        runId,
        step: 'launch',
        resolveHost: labResolveHost,
        onEvent: (e) => events.push(e),
        ...fast,
      },
    )
    try {
      expect(servers).toEqual([server])
      expect(server).toMatchObject({
        name: 'web',
        region: 'us-east-1',
        distro: 'al2023',
        instanceType: 't3.micro',
        securityGroupCreated: true,
        runId,
        hostKeyFingerprint: lab().ssh.hostKeyFingerprint,
        ssh: { username: 'ec2-user', port: 22 },
        keyPair: { path, ppkPath, created: true },
      })
      expect(server.instanceId).toMatch(/^i-/)
      expect(server.availabilityZone).toMatch(/^us-east-1[a-f]$/)
      expect(server.privateIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
      expect(JSON.stringify(server)).not.toContain('PRIVATE KEY')

      const expectedTags = { Name: 'web', 'ferry:run': runId, 'ferry:step': 'launch' }
      const described = await ec2.send(
        new DescribeInstancesCommand({ InstanceIds: [server.instanceId] }),
      )
      const instance = described.Reservations?.[0]?.Instances?.[0]
      expect(tagMap(instance?.Tags)).toEqual(expectedTags)
      expect(instance?.MetadataOptions).toMatchObject({
        HttpTokens: 'required',
        HttpEndpoint: 'enabled',
      })
      expect(instance?.KeyName).toBe(server.keyPair.name)
      expect(instance?.SecurityGroups?.map((g) => g.GroupId)).toEqual([server.securityGroupId])

      const volumes = await ec2.send(
        new DescribeVolumesCommand({
          Filters: [{ Name: 'attachment.instance-id', Values: [server.instanceId] }],
        }),
      )
      expect(
        volumes.Volumes?.map((v) => [v.Encrypted, v.VolumeType, v.Size, tagMap(v.Tags)]),
      ).toEqual([[true, 'gp3', 16, expectedTags]])

      const userData = await ec2.send(
        new DescribeInstanceAttributeCommand({
          InstanceId: server.instanceId,
          Attribute: 'userData',
        }),
      )
      expect(Buffer.from(userData.UserData?.Value ?? '', 'base64').toString()).toBe(
        webServerUserData({ distro: 'al2023' }),
      )

      const group = await ec2.send(
        new DescribeSecurityGroupsCommand({ GroupIds: [server.securityGroupId] }),
      )
      expect(tagMap(group.SecurityGroups?.[0]?.Tags)).toEqual(expectedTags)
      const rules = await ec2.send(
        new DescribeSecurityGroupRulesCommand({
          Filters: [{ Name: 'group-id', Values: [server.securityGroupId] }],
        }),
      )
      // Exactly one way in: SSH from you (the lab's caller), opened for the SSH rung.
      expect(
        rules.SecurityGroupRules?.filter((r) => !r.IsEgress).map((r) => [
          r.IpProtocol,
          r.FromPort,
          r.ToPort,
          r.CidrIpv4 ?? r.CidrIpv6,
        ]),
      ).toEqual([['tcp', 22, 22, `${lab().aws.callerIp}/32`]])

      const keys = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: [server.keyPair.name] }))
      expect(tagMap(keys.KeyPairs?.[0]?.Tags)).toEqual({
        ...expectedTags,
        Name: server.keyPair.name,
      })
      expect(statSync(path).mode & 0o777).toBe(0o600)
      expect(statSync(ppkPath).mode & 0o777).toBe(0o600)
      expect(parsePrivateKey(readFileSync(path, 'utf8')).type).toBe('ssh-ed25519')
      expect(readFileSync(ppkPath, 'utf8')).toMatch(/^PuTTY-User-Key-File-3: ssh-ed25519\n/)

      // The ladder reported each rung; the lab has no cloud-init and says so.
      const rungs = events
        .filter((e) => e.type === 'step:progress')
        .map((e) => (e as { message: string }).message)
      expect(rungs).toEqual([
        expect.stringMatching(/^web: running \(i-/),
        'web: status checks ok',
        `web: SSH answers (host key ${lab().ssh.hostKeyFingerprint})`,
      ])
      expect(events).toContainEqual({
        type: 'info',
        message: 'web has no cloud-init: not waiting for it.',
      })

      const whoami = await server.host.run(cmd('whoami'))
      expect(whoami.stdout.trim()).toBe(lab().ssh.username)
    } finally {
      await terminateWebServer(server, {
        aws: labAws(),
        cleanup: true,
        deleteKeyFiles: true,
        ...fast,
      })
    }
    const after = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [server.instanceId] }))
    expect(after.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe('terminated')
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:ferry:run', Values: [runId] }] }),
    )
    expect(groups.SecurityGroups).toEqual([])
    const keys = await ec2.send(
      new DescribeKeyPairsCommand({ Filters: [{ Name: 'tag:ferry:run', Values: [runId] }] }),
    )
    expect(keys.KeyPairs).toEqual([])
    expect(() => statSync(path)).toThrow()
  })

  it('launches several identical Ubuntu servers, each named, logging in as ubuntu', async () => {
    const runId = unique('run')
    const { servers } = await launchWebServer(
      {
        name: 'fleet',
        count: 2,
        ami: { distro: 'ubuntu', release: '16.04' }, // the newest Ubuntu LTS image moto knows
        keyPair: { create: { path: join(dir, `${runId}.pem`), type: 'rsa' } },
        hostKey: { publicKey: lab().ssh.hostPublicKey },
      },
      { aws: labAws(), runId, resolveHost: labResolveHost, ...fast },
    )
    try {
      expect(servers.map((s) => [s.name, s.ssh.username, s.distro])).toEqual([
        ['fleet-1', 'ubuntu', 'ubuntu'],
        ['fleet-2', 'ubuntu', 'ubuntu'],
      ])
      expect(new Set(servers.map((s) => s.securityGroupId)).size).toBe(1)
      const described = await ec2.send(
        new DescribeInstancesCommand({ InstanceIds: servers.map((s) => s.instanceId) }),
      )
      const instances = described.Reservations?.flatMap((r) => r.Instances ?? []) ?? []
      expect(instances.map((i) => [i.ImageId, tagMap(i.Tags).Name]).sort()).toEqual([
        ['ami-785db401', 'fleet-1'],
        ['ami-785db401', 'fleet-2'],
      ])
      const userData = await ec2.send(
        new DescribeInstanceAttributeCommand({
          InstanceId: servers[0]!.instanceId,
          Attribute: 'userData',
        }),
      )
      expect(Buffer.from(userData.UserData?.Value ?? '', 'base64').toString()).toBe(
        webServerUserData({ distro: 'ubuntu' }),
      )
      expect(parsePrivateKey(readFileSync(join(dir, `${runId}.pem`), 'utf8')).type).toBe('ssh-rsa')
    } finally {
      await terminateWebServer(servers, { aws: labAws(), cleanup: true, ...fast })
    }
  })

  it('refuses bad input before any AWS call', async () => {
    const error = await launchWebServer(
      { name: 'web', instanceType: 'huge' },
      { ec2: noCallEc2() },
    ).catch((e: unknown) => e)
    expect(ValidationError.is(error) && error.field).toBe('instanceType')
  })

  it('refuses to overwrite an existing key file before any AWS call', async () => {
    const path = join(dir, `${unique('existing')}.pem`)
    writeFileSync(path, 'MINE')
    const error = await launchWebServer(
      { name: 'web', keyPair: { create: { path } } },
      { ec2: noCallEc2() },
    ).catch((e: unknown) => e)
    expect(FerryError.is(error) && error.code).toBe('CONFLICT')
    expect(readFileSync(path, 'utf8')).toBe('MINE')
  })
})
