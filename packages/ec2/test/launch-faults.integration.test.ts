import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { strictAwsScope } from '@ferry/lab'
import { FerryError, ValidationError, type FerryEvent } from '@ferry/core'
import {
  createKeyPair,
  deleteEc2ByRun,
  deleteKeyPair,
  launchWebServer,
  terminateWebServer,
} from '../src/index.js'
import { lab, labAws, labResolveHost, readBackEc2, unique } from './lab.js'

const dir = mkdtempSync(join(tmpdir(), 'ferry-ec2-faults-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ec2 = readBackEc2()
const fast = { waiterMinDelay: 1000, maxWaitTime: 60_000 }
// These tests need a console that shows no host keys: moto's own, the lab's console rule off.
const keyless = strictAwsScope(lab().aws, unique('keyless-console'))
beforeAll(() => keyless.configure({ rules: { consoleOutput: false } }))
const keylessAws = () => ({ ...keyless.aws })

async function taggedWith(runId: string) {
  const filter = [{ Name: 'tag:ferry:run', Values: [runId] }]
  const instances = await ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        ...filter,
        { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
      ],
    }),
  )
  const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: filter }))
  const keys = await ec2.send(new DescribeKeyPairsCommand({ Filters: filter }))
  return {
    instances:
      instances.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId) ?? [],
    groups: groups.SecurityGroups?.map((g) => g.GroupId) ?? [],
    keys: keys.KeyPairs?.map((k) => k.KeyName) ?? [],
  }
}

describe('launchWebServer faults and re-runs', () => {
  it("refuses an unverifiable host key ('console' with no keys in moto's console) and deletes what it created", async () => {
    const runId = unique('run')
    const path = join(dir, `${runId}.pem`)
    const error = await launchWebServer(
      { name: 'web', keyPair: { create: { path } } },
      { aws: keylessAws(), runId, resolveHost: labResolveHost, hostKeyWaitTime: 1500, ...fast },
    ).catch((e: unknown) => e)
    expect(FerryError.is(error) && error.code).toBe('PRECONDITION')
    expect((error as Error).message).toMatch(/showed no SSH host keys/)
    expect(await taggedWith(runId)).toEqual({ instances: [], groups: [], keys: [] })
    expect(existsSync(path)).toBe(false)
  })

  it('a re-run after a cleaned-up failure launches again: its ClientToken follows the new request (AWS keeps the old token 24 h)', async () => {
    const runId = unique('run')
    const path = join(dir, `${runId}.pem`)
    const input = { name: 'web', keyPair: { create: { path } } }
    const options = { aws: keylessAws(), runId, resolveHost: labResolveHost, ...fast }
    const failed = await launchWebServer(input, { ...options, hostKeyWaitTime: 500 }).catch(
      (e: unknown) => e,
    )
    expect(FerryError.is(failed) && failed.code).toBe('PRECONDITION')
    // The same run again, with a new security group: the first token must not come back.
    const { server } = await launchWebServer(
      { ...input, hostKey: { fingerprint: lab().ssh.hostKeyFingerprint } },
      options,
    )
    try {
      expect(server.instanceId).toMatch(/^i-/)
      expect((await taggedWith(runId)).instances).toEqual([server.instanceId])
    } finally {
      await terminateWebServer(server, { aws: keylessAws(), cleanup: true, ...fast })
    }
  })

  it('trusts on first use only when asked, with a warning, and pins what it saw', async () => {
    const runId = unique('run')
    const events: FerryEvent[] = []
    const { server } = await launchWebServer(
      {
        name: 'web',
        keyPair: { create: { path: join(dir, `${runId}.pem`) } },
        hostKey: 'trust-on-first-use',
      },
      {
        aws: keylessAws(),
        runId,
        resolveHost: labResolveHost,
        onEvent: (e) => events.push(e),
        ...fast,
      },
    )
    try {
      expect(server.ssh.hostKey).toEqual({ fingerprint: lab().ssh.hostKeyFingerprint })
      expect(events.filter((e) => e.type === 'warning')).toEqual([
        {
          type: 'warning',
          message: `Trusting the SSH host key of web on first use (${lab().ssh.hostKeyFingerprint}): its console output showed no host keys to verify it against.`,
        },
      ])
    } finally {
      await terminateWebServer(server, { aws: keylessAws(), cleanup: true, ...fast })
    }
  })

  it('adopts the instance, group and key pair of an earlier attempt of the same run instead of launching again', async () => {
    const runId = unique('run')
    const input = {
      name: 'web',
      keyPair: { create: { path: join(dir, `${runId}.pem`) } },
      hostKey: { fingerprint: lab().ssh.hostKeyFingerprint },
      ready: 'running' as const,
    }
    const options = { aws: labAws(), runId, step: 'launch', resolveHost: labResolveHost, ...fast }
    const first = await launchWebServer(input, options)
    const events: FerryEvent[] = []
    const second = await launchWebServer(input, { ...options, onEvent: (e) => events.push(e) })
    try {
      expect(second.server.instanceId).toBe(first.server.instanceId)
      expect(second.server.securityGroupId).toBe(first.server.securityGroupId)
      expect(second.server.keyPair.name).toBe(first.server.keyPair.name)
      expect(
        events
          .filter((e) => e.type === 'aws:call')
          .map((e) => (e as { operation: string }).operation),
      ).not.toContain('RunInstances')
      expect(await taggedWith(runId)).toEqual({
        instances: [first.server.instanceId],
        groups: [first.server.securityGroupId],
        keys: [first.server.keyPair.name],
      })
    } finally {
      await deleteEc2ByRun({ runId }, { aws: labAws(), ...fast })
    }
    expect(await taggedWith(runId)).toEqual({ instances: [], groups: [], keys: [] })
  })

  it('imports a public key derived from the private key you log in with', async () => {
    const runId = unique('run')
    const { server } = await launchWebServer(
      {
        name: 'imported',
        keyPair: { import: { privateKeyPath: lab().ssh.privateKeyPath } },
        hostKey: { fingerprint: lab().ssh.hostKeyFingerprint },
      },
      { aws: labAws(), runId, resolveHost: labResolveHost, ...fast },
    )
    try {
      const keys = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: [server.keyPair.name] }))
      expect(keys.KeyPairs?.[0]?.KeyType).toBe('ed25519')
      expect(server.keyPair).toMatchObject({ created: true })
      expect(server.ssh.privateKey.reveal()).toBe(lab().ssh.privateKey)
    } finally {
      await terminateWebServer(server, { aws: labAws(), cleanup: true, ...fast })
    }
    expect(await taggedWith(runId)).toEqual({ instances: [], groups: [], keys: [] })
  })

  it('launches into a given VPC with a key pair that already exists, and leaves that key pair alone', async () => {
    const runId = unique('run')
    const vpcs = await ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
    )
    const vpcId = vpcs.Vpcs![0]!.VpcId!
    const keyName = unique('existing-key')
    const keyPath = join(dir, `${keyName}.pem`)
    await createKeyPair({ name: keyName, path: keyPath }, { aws: labAws() })
    try {
      const { server } = await launchWebServer(
        {
          name: 'web',
          vpcId,
          keyPair: { existing: { name: keyName, privateKeyPath: keyPath } },
          ready: 'running',
        },
        { aws: labAws(), runId, ...fast },
      )
      expect(server.vpcId).toBe(vpcId)
      expect(server.subnetId).toMatch(/^subnet-/)
      expect(server.keyPair).toMatchObject({ name: keyName, created: false })
      await terminateWebServer(server, { aws: labAws(), cleanup: true, ...fast })
      const keys = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: [keyName] }))
      expect(keys.KeyPairs?.map((k) => k.KeyName)).toEqual([keyName])
      expect(existsSync(keyPath)).toBe(true)
    } finally {
      await deleteKeyPair(keyName, { aws: labAws() })
    }
    expect(await taggedWith(runId)).toEqual({ instances: [], groups: [], keys: [] })
  })

  it('refuses an instance type EC2 does not offer before creating anything', async () => {
    const runId = unique('run')
    const error = await launchWebServer(
      {
        name: 'web',
        instanceType: 'x9.huge',
        keyPair: { create: { path: join(dir, `${runId}.pem`) } },
      },
      { aws: labAws(), runId, ...fast },
    ).catch((e: unknown) => e)
    expect(ValidationError.is(error) && error.field).toBe('instanceType')
    expect(await taggedWith(runId)).toEqual({ instances: [], groups: [], keys: [] })
  })

  it('refuses an AMI id that does not exist', async () => {
    const runId = unique('run')
    const error = await launchWebServer(
      {
        name: 'web',
        ami: 'ami-0123456789abcdef0',
        keyPair: { create: { path: join(dir, `${runId}.pem`) } },
      },
      { aws: labAws(), runId, ...fast },
    ).catch((e: unknown) => e)
    expect(FerryError.is(error) && error.code).toBe('NOT_FOUND')
    expect(await taggedWith(runId)).toEqual({ instances: [], groups: [], keys: [] })
  })
})
