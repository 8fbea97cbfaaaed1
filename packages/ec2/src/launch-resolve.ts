// Read-only resolution before a launch creates anything: the instance type's architecture,
// the network (default VPC unless given), and the private key to log in with.
import { readFile } from 'node:fs/promises'
import { AwsError, FerryError, reveal, Secret, ValidationError } from '@ferry/core'
import type { Architecture, AmiSpec, ResolvedAmi } from './ami.js'
import { keyPath } from './key-file.js'
import { ec2Call, type Ec2Context } from './sdk.js'

/**
 * The architecture to launch: the AMI spec's, else x86_64 when the type supports it, else arm64.
 * Refuses an unknown instance type.
 * @example
 * await launchArchitecture(ctx, 't4g.micro', { distro: 'al2023' }) // 'arm64'
 */
export async function launchArchitecture(
  ctx: Ec2Context,
  instanceType: string,
  ami: AmiSpec,
): Promise<{ architecture: Architecture; supported: string[] }> {
  const out = await ec2Call(ctx, 'DescribeInstanceTypes', (s, ec2) =>
    ec2.send(new s.DescribeInstanceTypesCommand({ InstanceTypes: [instanceType as never] })),
  ).catch((error: unknown) => {
    if (AwsError.is(error) && error.awsCode.startsWith('InvalidInstanceType'))
      return { InstanceTypes: [] }
    throw error
  })
  const supported = (out.InstanceTypes?.[0]?.ProcessorInfo?.SupportedArchitectures ?? []).map(
    String,
  )
  if (supported.length === 0)
    throw new ValidationError({
      field: 'instanceType',
      value: instanceType,
      allowed: `an instance type EC2 offers in ${ctx.region}`,
    })
  const wanted = typeof ami === 'object' ? ami.architecture : undefined
  if (wanted && !supported.includes(wanted))
    throw new ValidationError({
      field: 'ami.architecture',
      value: wanted,
      allowed: `an architecture ${instanceType} runs: ${supported.join(', ')}`,
    })
  const architecture = wanted ?? (supported.includes('x86_64') ? 'x86_64' : 'arm64')
  return { architecture, supported }
}

/**
 * Refuses an image whose architecture the instance type cannot run.
 * @example
 * assertRunnable(ami, ['x86_64'], 't3.micro')
 */
export function assertRunnable(
  ami: ResolvedAmi,
  supported: readonly string[],
  instanceType: string,
): void {
  if (!supported.includes(ami.architecture))
    throw new ValidationError({
      field: 'ami',
      value: `${ami.imageId} (${ami.architecture})`,
      allowed: `an image for ${supported.join(' or ')}, which ${instanceType} runs`,
    })
}

/**
 * The VPC (and subnet) to launch into: the subnet's VPC when a subnet is given; a subnet of
 * the given VPC; else the default VPC, leaving the subnet to EC2.
 * @example
 * await resolveNetwork(ctx, {}) // { vpcId: 'vpc-…' }
 */
/** Where a launch goes: the VPC and, when chosen, the subnet with its zone and IP mapping. */
export interface ResolvedNetwork {
  vpcId: string
  subnetId?: string
  zone?: string
  /** Whether the subnet gives new instances a public IPv4 address by itself. */
  mapsPublicIp?: boolean
}

export async function resolveNetwork(
  ctx: Ec2Context,
  o: { vpcId?: string; subnetId?: string },
): Promise<ResolvedNetwork> {
  if (o.subnetId) {
    const out = await ec2Call(ctx, 'DescribeSubnets', (s, ec2) =>
      ec2.send(new s.DescribeSubnetsCommand({ SubnetIds: [o.subnetId!] })),
    ).catch(notFound('subnet', o.subnetId))
    const vpcId = out.Subnets?.[0]?.VpcId
    if (!vpcId)
      throw new FerryError('NOT_FOUND', `Subnet ${o.subnetId} does not exist in ${ctx.region}.`)
    if (o.vpcId && o.vpcId !== vpcId)
      throw new ValidationError({
        field: 'subnetId',
        value: o.subnetId,
        allowed: `a subnet of ${o.vpcId} (it is in ${vpcId})`,
      })
    const subnet = out.Subnets![0]!
    return {
      vpcId,
      subnetId: o.subnetId,
      zone: subnet.AvailabilityZone,
      mapsPublicIp: subnet.MapPublicIpOnLaunch ?? false,
    }
  }
  if (o.vpcId) {
    const out = await ec2Call(ctx, 'DescribeSubnets', (s, ec2) =>
      ec2.send(new s.DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [o.vpcId!] }] })),
    )
    const subnets = [...(out.Subnets ?? [])].sort(
      (a, b) =>
        Number(b.MapPublicIpOnLaunch ?? false) - Number(a.MapPublicIpOnLaunch ?? false) ||
        (a.AvailabilityZone ?? '').localeCompare(b.AvailabilityZone ?? ''),
    )
    const chosen = subnets[0]
    const subnetId = chosen?.SubnetId
    if (!subnetId)
      throw new FerryError(
        'NOT_FOUND',
        `VPC ${o.vpcId} has no subnets in ${ctx.region}: pass subnetId.`,
      )
    return {
      vpcId: o.vpcId,
      subnetId,
      zone: chosen.AvailabilityZone,
      mapsPublicIp: chosen.MapPublicIpOnLaunch ?? false,
    }
  }
  const out = await ec2Call(ctx, 'DescribeVpcs', (s, ec2) =>
    ec2.send(new s.DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] })),
  )
  const vpcId = out.Vpcs?.[0]?.VpcId
  if (!vpcId)
    throw new FerryError(
      'PRECONDITION',
      `${ctx.region} has no default VPC: pass vpcId or subnetId.`,
    )
  return { vpcId }
}

/**
 * The private key to log in with, from text or a file.
 * @example
 * await loginKey({ privateKeyPath: '~/.ssh/web.pem' })
 */
export async function loginKey(o: {
  privateKey?: string | Secret
  privateKeyPath?: string
}): Promise<Secret> {
  if (o.privateKey !== undefined) return new Secret(reveal(o.privateKey))
  const path = keyPath(o.privateKeyPath, 'privateKeyPath')
  try {
    return new Secret(await readFile(path, 'utf8'), { file: path })
  } catch (error) {
    throw new FerryError('NOT_FOUND', `Cannot read the private key file ${path}.`, { cause: error })
  }
}

function notFound(what: string, id: string) {
  return (error: unknown): never => {
    if (AwsError.is(error) && error.awsCode.includes('NotFound'))
      throw new FerryError('NOT_FOUND', `The ${what} ${id} does not exist.`, { cause: error })
    throw error
  }
}
