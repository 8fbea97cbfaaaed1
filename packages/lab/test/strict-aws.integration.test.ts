// Each rule of the lab's strict AWS layer, shown twice: moto alone lets the thing through, the
// strict layer refuses it as AWS does. Every test works in a scope of its own.
import { connect } from 'node:net'
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
  GetConsoleOutputCommand,
  RunInstancesCommand,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2'
import { afterAll, describe, expect, it } from 'vitest'
import { instanceAddress, labHost, strictAwsScope, type StrictAwsScope } from '../src/index'
import { labInfo } from '../src/vitest'

const lab = labInfo()
const clients: EC2Client[] = []
afterAll(() => clients.forEach((c) => c.destroy()))

const client = (aws: {
  endpoint: string
  credentials: { accessKeyId: string; secretAccessKey: string }
}) => {
  const c = new EC2Client({
    endpoint: aws.endpoint,
    region: 'us-east-1',
    credentials: aws.credentials,
    maxAttempts: 1,
  })
  clients.push(c)
  return c
}
const moto = client({ endpoint: lab.aws.motoEndpoint, credentials: lab.aws.credentials })
const scope = (name: string): { strict: StrictAwsScope; ec2: EC2Client } => {
  const strict = strictAwsScope(lab.aws, `strict-${name}`)
  return { strict, ec2: client(strict.aws) }
}

let ami: string | undefined
async function imageId(): Promise<string> {
  ami ??= (
    await moto.send(
      new DescribeImagesCommand({
        Owners: ['amazon'],
        Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }],
      }),
    )
  ).Images![0]!.ImageId!
  return ami
}
const launch = async (ec2: EC2Client, extra: Partial<RunInstancesCommandInput> = {}) =>
  (
    await ec2.send(
      new RunInstancesCommand({
        ImageId: await imageId(),
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        ...extra,
      }),
    )
  ).Instances!.map((i) => i.InstanceId!)

const awsCode = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { name?: string }) => e.name ?? 'unknown error',
  )

describe('idempotency tokens (RunInstances ClientToken)', () => {
  it('moto alone makes a second instance for the same token', async () => {
    const first = await launch(moto, { ClientToken: 'moto-token-1' })
    const second = await launch(moto, { ClientToken: 'moto-token-1' })
    expect(second).not.toEqual(first)
  })

  it('the strict lab returns the original instance, and refuses the token with other parameters', async () => {
    const { ec2 } = scope('token')
    const first = await launch(ec2, { ClientToken: 'strict-token-1' })
    const again = await launch(ec2, { ClientToken: 'strict-token-1' })
    expect(again).toEqual(first)
    expect(
      await awsCode(launch(ec2, { ClientToken: 'strict-token-1', InstanceType: 't3.small' })),
    ).toBe('IdempotentParameterMismatch')
  })

  it('a token belongs to its Region: the same token elsewhere is a new request, not a mismatch', async () => {
    const { strict, ec2 } = scope('token-regions')
    const west = new EC2Client({
      endpoint: strict.aws.endpoint,
      region: 'us-west-2',
      credentials: strict.aws.credentials,
      maxAttempts: 1,
    })
    clients.push(west)
    const east = await launch(ec2, { ClientToken: 'strict-token-regions' })
    const westImage = (
      await west.send(
        new DescribeImagesCommand({
          Owners: ['amazon'],
          Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }],
        }),
      )
    ).Images![0]!.ImageId!
    const other = await launch(west, { ClientToken: 'strict-token-regions', ImageId: westImage })
    expect(other).not.toEqual(east)
  })
})

describe('eventual consistency', () => {
  const group = (ec2: EC2Client, name: string) =>
    ec2
      .send(new CreateSecurityGroupCommand({ GroupName: name, Description: 'lab test' }))
      .then((o) => o.GroupId!)

  it('moto alone finds a new security group at once', async () => {
    const id = await group(moto, `moto-consistency-${Date.now()}`)
    expect(await awsCode(moto.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] })))).toBe(
      'ok',
    )
  })

  it('the strict lab answers NotFound for the first use of a new id, then finds it', async () => {
    const { ec2 } = scope('consistency')
    const id = await group(ec2, `strict-consistency-${Date.now()}`)
    const describe = () => awsCode(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] })))
    expect(await describe()).toBe('InvalidGroup.NotFound')
    expect(await describe()).toBe('ok')
  })

  it('an id a describe has listed is visible from then on', async () => {
    const { ec2 } = scope('consistency-listed')
    const name = `strict-listed-${Date.now()}`
    const id = await group(ec2, name)
    const listed = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }] }),
    )
    expect(listed.SecurityGroups?.map((g) => g.GroupId)).toEqual([id])
    expect(await awsCode(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] })))).toBe(
      'ok',
    )
  })

  it('a scope can ask for more NotFound uses, or none', async () => {
    const { strict, ec2 } = scope('consistency-3')
    await strict.configure({ consistencyUses: 3 })
    const [id] = await launch(ec2)
    const describe = () => awsCode(ec2.send(new DescribeInstancesCommand({ InstanceIds: [id!] })))
    expect([await describe(), await describe(), await describe(), await describe()]).toEqual([
      'InvalidInstanceID.NotFound',
      'InvalidInstanceID.NotFound',
      'InvalidInstanceID.NotFound',
      'ok',
    ])
    await strict.configure({ rules: { consistency: false } })
    const [other] = await launch(ec2)
    expect(await awsCode(ec2.send(new DescribeInstancesCommand({ InstanceIds: [other!] })))).toBe(
      'ok',
    )
  })
})

// What a client meets on an instance's port: the server's first bytes, or silence until it gives up.
function firstBytes(host: string, port: number, waitMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (text: string) => {
      socket.destroy()
      resolve(text)
    }
    socket.once('data', (d) => done(d.toString('utf8')))
    socket.once('error', (e) => done(`error ${e.message}`))
    setTimeout(() => done('silence'), waitMs)
  })
}

describe('security groups on the way into an instance', () => {
  it('moto alone does not care: the lab sshd answers whoever asks', async () => {
    const direct = labHost(lab)
    expect(await firstBytes(direct.host, direct.port, 2000)).toMatch(/^SSH-2\.0-/)
  })

  it('the strict lab answers on 22 only while a group of the instance allows the caller', async () => {
    const { strict, ec2 } = scope('gate')
    await strict.configure({ rules: { consistency: false } })
    const groupId = (
      await ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: `gate-${Date.now()}`,
          Description: 'lab test',
        }),
      )
    ).GroupId!
    const [id] = await launch(ec2, { SecurityGroupIds: [groupId] })
    const { host, ports } = instanceAddress(lab, id!)
    expect(labHost(lab, { instanceId: id })).toMatchObject({ host, port: ports[22] })
    expect(await firstBytes(host, ports[22], 1500)).toBe('silence')

    const allow = (cidr: string, port: number) =>
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr }] },
          ],
        }),
      )
    await allow('192.0.2.0/24', 22) // someone else's network: still silence
    expect(await firstBytes(host, ports[22], 1500)).toBe('silence')
    await allow(`${lab.aws.callerIp}/32`, 22) // applies to the next connection
    expect(await firstBytes(host, ports[22], 5000)).toMatch(/^SSH-2\.0-/)
    expect(await firstBytes(host, ports[80], 1500)).toBe('silence')

    const { decisions } = await strict.gate()
    const mine = decisions.filter((d) => d.instanceId === id)
    expect(mine.map((d) => [d.port, d.allowed])).toEqual([
      [22, false],
      [22, false],
      [22, true],
      [80, false],
    ])
    expect(await strict.callerIp()).toBe(lab.aws.callerIp)
  })
})

describe('instance-type offerings per Availability Zone', () => {
  const subnetIn = async (zone: string) =>
    (
      await moto.send(
        new DescribeSubnetsCommand({
          Filters: [
            { Name: 'availability-zone', Values: [zone] },
            { Name: 'default-for-az', Values: ['true'] },
          ],
        }),
      )
    ).Subnets![0]!.SubnetId!

  it('moto alone launches a t3 in us-east-1e, which offers none', async () => {
    expect(await launch(moto, { SubnetId: await subnetIn('us-east-1e') })).toHaveLength(1)
  })

  it('the strict lab refuses it with Unsupported, and launches it in us-east-1a', async () => {
    const { ec2 } = scope('offerings')
    expect(await awsCode(launch(ec2, { SubnetId: await subnetIn('us-east-1e') }))).toBe(
      'Unsupported',
    )
    expect(await launch(ec2, { SubnetId: await subnetIn('us-east-1a') })).toHaveLength(1)
  })
})

describe('console output', () => {
  const consoleText = async (ec2: EC2Client, id: string, latest?: boolean) =>
    Buffer.from(
      (
        await ec2.send(
          new GetConsoleOutputCommand({ InstanceId: id, ...(latest ? { Latest: true } : {}) }),
        )
      ).Output ?? '',
      'base64',
    ).toString('utf8')

  it('moto alone prints no host keys', async () => {
    const [id] = await launch(moto)
    expect(await consoleText(moto, id!)).not.toContain('BEGIN SSH HOST KEY KEYS')
  })

  it('the strict lab prints the sshd host keys, in the latest output first', async () => {
    const { strict, ec2 } = scope('console')
    await strict.configure({
      rules: { consistency: false },
      consoleLatestMs: 0,
      consoleBufferedMs: 3_600_000,
    })
    const [id] = await launch(ec2)
    expect(await consoleText(ec2, id!)).not.toContain('BEGIN SSH HOST KEY KEYS')
    const latest = await consoleText(ec2, id!, true)
    const block =
      /-----BEGIN SSH HOST KEY KEYS-----\n([\s\S]*?)\n-----END SSH HOST KEY KEYS-----/.exec(latest)
    expect(block?.[1]).toBe(lab.ssh.hostPublicKey.split(' ').slice(0, 2).join(' '))
  })
})

describe("moto's answers mended", () => {
  const authorizeTwo = async (ec2: EC2Client) => {
    const GroupId = (
      await ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: `mend-${Date.now()}-${Math.random()}`,
          Description: 'lab test',
        }),
      )
    ).GroupId!
    const out = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [443, 80].map((p) => ({
          IpProtocol: 'tcp',
          FromPort: p,
          ToPort: p,
          IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        })),
      }),
    )
    return out.SecurityGroupRules?.map((r) => r.FromPort).sort()
  }

  it('moto alone lists only the last permission among the rules Authorize added', async () => {
    expect(await authorizeTwo(moto)).toEqual([80])
  })

  it('the strict lab lists every rule added, as AWS does', async () => {
    const { strict, ec2 } = scope('mend')
    await strict.configure({ rules: { consistency: false } })
    expect(await authorizeTwo(ec2)).toEqual([443, 80])
  })
})

describe('faults', () => {
  it('a lost response: AWS made the instance, the client saw a 500', async () => {
    const { strict, ec2 } = scope('lost')
    await strict.configure({ rules: { consistency: false } })
    await strict.inject({ operation: 'RunInstances', fault: 'lose-response' })
    const tag = `lost-${Date.now()}`
    const tags = [{ ResourceType: 'instance' as const, Tags: [{ Key: 'lab-test', Value: tag }] }]
    expect(await awsCode(launch(ec2, { TagSpecifications: tags }))).toBe('InternalError')
    const found = await moto.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:lab-test', Values: [tag] }] }),
    )
    expect(found.Reservations?.flatMap((r) => r.Instances ?? [])).toHaveLength(1)
    const calls = await strict.calls()
    expect(calls.at(-1)).toMatchObject({ operation: 'RunInstances', by: 'lose-response' })
  })

  it('faults at a rate come from a seeded generator: the same seed, the same faults', async () => {
    const pattern = async (name: string) => {
      const { strict, ec2 } = scope(name)
      await strict.configure({ rates: { throttle: 0.5, seed: 42 } })
      const out: string[] = []
      for (let i = 0; i < 12; i++)
        out.push(
          await awsCode(
            ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-00000000000000000'] })),
          ),
        )
      return out
    }
    const first = await pattern('rate-a')
    expect(first).toContain('RequestLimitExceeded')
    expect(first.some((c) => c !== 'RequestLimitExceeded')).toBe(true)
    expect(await pattern('rate-b')).toEqual(first)
  })

  it('throttling answers RequestLimitExceeded before AWS sees the request', async () => {
    const { strict, ec2 } = scope('throttle')
    await strict.inject({ operation: 'DescribeImages', fault: 'throttle', times: 2 })
    const describe = () =>
      awsCode(ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-00000000000000000'] })))
    expect([await describe(), await describe()]).toEqual([
      'RequestLimitExceeded',
      'RequestLimitExceeded',
    ])
  })
})
