// Finding the AMI to launch: the newest Amazon Linux 2023 or Ubuntu LTS image by owner and name,
// or an explicit id checked to exist. The query is a pure builder.
import type { DescribeImagesCommandInput, Image } from '@aws-sdk/client-ec2'
import { AwsError, FerryError, validate, ValidationError } from '@ferry/core'
import { ec2Call, ec2Context, type Ec2Context, type Ec2Options } from './sdk.js'

/** The distributions ferry knows how to bootstrap. */
export type Distro = 'al2023' | 'ubuntu'
/** CPU architectures of EC2 images. */
export type Architecture = 'x86_64' | 'arm64'

/** Which image to launch: an AMI id, or the newest image of a distribution. */
export type AmiSpec =
  | string
  | {
      distro: Distro
      /** Ubuntu LTS release, default '24.04'. */ release?: string
      architecture?: Architecture
    }

/** The image a launch uses. */
export interface ResolvedAmi {
  imageId: string
  name: string
  distro: Distro | 'unknown'
  architecture: string
  /** The root device to map the encrypted gp3 volume onto (`/dev/xvda`, `/dev/sda1`). */
  rootDeviceName: string
  creationDate?: string
}

/**
 * Owner of Amazon Linux images (the `amazon` alias) and of Canonical's Ubuntu images.
 * @example
 * AMI_OWNERS.ubuntu // '099720109477'
 */
export const AMI_OWNERS: Record<Distro, string> = { al2023: 'amazon', ubuntu: '099720109477' }

/**
 * The DescribeImages input that lists candidate images of a distribution.
 * @example
 * amiQuery({ distro: 'ubuntu', release: '24.04', architecture: 'arm64' })
 */
export function amiQuery(spec: {
  distro: Distro
  release?: string
  architecture: Architecture
}): DescribeImagesCommandInput {
  const name =
    spec.distro === 'al2023'
      ? `al2023-ami-2023.*-${spec.architecture}`
      : `ubuntu/images/*/ubuntu-*-${ubuntuRelease(spec.release)}-${spec.architecture === 'arm64' ? 'arm64' : 'amd64'}-server-*`
  return {
    Owners: [AMI_OWNERS[spec.distro]],
    Filters: [
      { Name: 'name', Values: [name] },
      { Name: 'architecture', Values: [spec.architecture] },
      { Name: 'state', Values: ['available'] },
      { Name: 'root-device-type', Values: ['ebs'] },
      { Name: 'virtualization-type', Values: ['hvm'] },
    ],
  }
}

/**
 * The newest image: latest CreationDate, then the highest name (names carry the build date).
 * @example
 * newestImage(out.Images ?? [])?.ImageId
 */
export function newestImage(images: readonly Image[]): Image | undefined {
  return [...images].sort(
    (a, b) =>
      (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '') ||
      (b.Name ?? '').localeCompare(a.Name ?? ''),
  )[0]
}

/**
 * The distribution an image name belongs to, for the SSH user and the bootstrap script.
 * @example
 * distroOf('al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64') // 'al2023'
 */
export function distroOf(name: string): Distro | 'unknown' {
  if (name.startsWith('al2023-ami')) return 'al2023'
  if (/(^|\/)ubuntu[-/]/.test(name)) return 'ubuntu'
  return 'unknown'
}

/**
 * The default login user of a distribution.
 * @example
 * sshUserFor('ubuntu') // 'ubuntu'
 */
export function sshUserFor(distro: Distro): string {
  return distro === 'al2023' ? 'ec2-user' : 'ubuntu'
}

/**
 * Validates an AMI spec without calling AWS.
 * @example
 * checkAmiSpec({ distro: 'ubuntu', release: '22.04' })
 */
export function checkAmiSpec(spec: unknown): AmiSpec {
  if (typeof spec === 'string') return validate.amiId(spec, 'ami')
  const s = spec as { distro?: unknown; release?: unknown; architecture?: unknown } | null
  if (typeof s !== 'object' || s === null || (s.distro !== 'al2023' && s.distro !== 'ubuntu'))
    throw new ValidationError({
      field: 'ami',
      value: spec,
      allowed: "an AMI id, or { distro: 'al2023' | 'ubuntu' }",
    })
  if (s.architecture !== undefined && s.architecture !== 'x86_64' && s.architecture !== 'arm64')
    throw new ValidationError({
      field: 'ami.architecture',
      value: s.architecture,
      allowed: "'x86_64' or 'arm64'",
    })
  if (s.release !== undefined) {
    if (s.distro !== 'ubuntu')
      throw new ValidationError({
        field: 'ami.release',
        value: s.release,
        allowed: 'a release only for Ubuntu',
      })
    ubuntuRelease(s.release)
  }
  return spec as AmiSpec
}

/**
 * Resolves an AMI spec to one image: for a distribution, the newest match; for an id, that
 * image, which must exist (EC2 itself would only fail at launch).
 * @example
 * const ami = await resolveAmi(ctx, { distro: 'al2023' }, 'x86_64')
 */
export async function resolveAmi(
  ctx: Ec2Context,
  spec: AmiSpec,
  architecture: Architecture,
): Promise<ResolvedAmi> {
  const input: DescribeImagesCommandInput =
    typeof spec === 'string'
      ? { ImageIds: [spec] }
      : amiQuery({ ...spec, architecture: spec.architecture ?? architecture })
  const out = await ec2Call(ctx, 'DescribeImages', (s, ec2) =>
    ec2.send(new s.DescribeImagesCommand(input)),
  ).catch((error: unknown) => {
    if (AwsError.is(error) && error.awsCode.startsWith('InvalidAMIID')) return { Images: [] }
    throw error
  })
  const image = newestImage(out.Images ?? [])
  if (!image?.ImageId) {
    const what =
      typeof spec === 'string'
        ? `AMI ${spec}`
        : `an image matching ${JSON.stringify(input.Filters?.[0]?.Values)} owned by ${input.Owners?.join(', ')}`
    throw new FerryError(
      'NOT_FOUND',
      `No ${what} in ${ctx.region}. Check the id/Region, or pass another ami.`,
    )
  }
  return {
    imageId: image.ImageId,
    name: image.Name ?? '',
    distro: distroOf(image.Name ?? ''),
    architecture: image.Architecture ?? architecture,
    rootDeviceName: image.RootDeviceName ?? '/dev/xvda',
    ...(image.CreationDate ? { creationDate: image.CreationDate } : {}),
  }
}

function ubuntuRelease(release: unknown = '24.04'): string {
  const ok =
    typeof release === 'string' &&
    /^\d{2}\.04$/.test(release) &&
    Number(release.slice(0, 2)) % 2 === 0
  if (!ok)
    throw new ValidationError({
      field: 'ami.release',
      value: release,
      allowed: "an Ubuntu LTS release such as '24.04' or '22.04'",
    })
  return release
}

/**
 * The image launchWebServer would use: the newest match of a distribution for an architecture
 * (default x86_64), or an AMI id checked to exist.
 * @example
 * const ami = await findAmi({ distro: 'ubuntu', release: '24.04' }, { aws: { region: 'eu-west-1' } })
 */
export async function findAmi(
  spec: AmiSpec,
  options: Ec2Options & { architecture?: Architecture } = {},
): Promise<ResolvedAmi> {
  const checked = checkAmiSpec(spec)
  const architecture = options.architecture ?? 'x86_64'
  if (architecture !== 'x86_64' && architecture !== 'arm64')
    throw new ValidationError({
      field: 'architecture',
      value: architecture,
      allowed: "'x86_64' or 'arm64'",
    })
  return resolveAmi(await ec2Context(options), checked, architecture)
}
