// Test helpers: the lab of this run, a separate EC2 client to read results back, and the lab's
// sshd as the SSH target of every instance (its own key, its host key pinned).
import {
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2'
import { labHost as labAddress, uniqueName, type LabInfo } from '@ferry/lab'
import { labInfo } from '@ferry/lab/vitest'
import {
  createSshHost,
  Secret,
  type EventSink,
  type Host,
  type ResolveHost,
  type SshHost,
  type SshTarget,
} from '@ferry/core'

/** The lab the global setup started (FERRY_LAB_STATE makes it reuse one). Missing lab = failure. */
export function lab(): LabInfo {
  return labInfo()
}

/**
 * A new EC2 client on moto itself, separate from the one under test: it reads results back
 * past the strict layer, so it never spends the NotFound answers of the ids ferry just made.
 */
export function readBackEc2(): EC2Client {
  const { aws } = lab()
  return new EC2Client({
    region: aws.region,
    endpoint: aws.motoEndpoint,
    credentials: aws.credentials,
  })
}

/** AWS options that point ferry at the lab's moto. */
export function labAws() {
  const { aws } = lab()
  return { region: aws.region, endpoint: aws.endpoint, credentials: aws.credentials }
}

/**
 * An instance's lab address (its port 22 answers only while its security group lets the lab's
 * caller in), logged in with the lab's key, the sshd's host key pinned.
 */
export const labResolveHost: ResolveHost = (server) => {
  const { ssh } = lab()
  const address = labAddress(lab(), { instanceId: server.instanceId })
  return {
    host: address.host,
    port: address.port,
    username: ssh.username,
    privateKey: ssh.privateKey,
    hostKey: { fingerprint: ssh.hostKeyFingerprint },
  }
}

/** An EC2 client that fails the test if any call reaches it. */
export function noCallEc2(): EC2Client {
  const client = new EC2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  })
  client.send = (() => {
    throw new Error('an AWS call was made')
  }) as never
  return client
}

/** A unique run id / name per test, so parallel files never collide. */
export const unique = uniqueName

/** An SSH host on the lab's sshd (the deploy user, host key pinned). */
export function labHost(onEvent?: EventSink): SshHost {
  return createSshHost(
    labResolveHost({
      ssh: { username: '', privateKey: new Secret(''), hostKey: { acceptAny: true } },
    }) as SshTarget,
    { onEvent },
  )
}

/** A Host whose every call fails the test: proves validation happens before remote commands. */
export const noCallHost: Host = {
  name: 'no-call',
  run: () => Promise.reject(new Error('a remote command was run')),
  writeFile: () => Promise.reject(new Error('a remote file was written')),
  writeFiles: () => Promise.reject(new Error('remote files were written')),
  readFile: () => Promise.reject(new Error('a remote file was read')),
  exists: () => Promise.reject(new Error('a remote path was checked')),
  close: () => Promise.resolve(),
}

/** What a run holds, counted on moto itself: live instances, security groups, key pairs. */
export async function countRun(runId: string) {
  const ec2 = readBackEc2()
  const filter = [{ Name: 'tag:ferry:run', Values: [runId] }]
  const live = {
    Name: 'instance-state-name',
    Values: ['pending', 'running', 'stopping', 'stopped'],
  }
  try {
    const instances = await ec2.send(new DescribeInstancesCommand({ Filters: [...filter, live] }))
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: filter }))
    const keys = await ec2.send(new DescribeKeyPairsCommand({ Filters: filter }))
    return {
      instances: instances.Reservations?.flatMap((r) => r.Instances ?? []).length ?? 0,
      groups: groups.SecurityGroups?.length ?? 0,
      keys: keys.KeyPairs?.length ?? 0,
    }
  } finally {
    ec2.destroy()
  }
}
