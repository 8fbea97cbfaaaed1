// One EC2 client per region, never constructed when the caller injected one.
import type { EC2Client } from '@aws-sdk/client-ec2'
import type * as Ec2Sdk from '@aws-sdk/client-ec2'
import { awsClientConfig, ValidationError, validate } from '@ferry/core'
import type { ImagesOptions } from './options.js'

/** The EC2 SDK module, loaded on first use so importing @ferry/images stays cheap. */
export const sdk = (): Promise<typeof Ec2Sdk> => import('@aws-sdk/client-ec2')

/**
 * The EC2 client for `region`: `clientFor(region)`, else the injected `ec2` (its region must
 * match), else one built from `aws`. Refuses to fall back to the SDK's default endpoint when a
 * client was injected, so a test against moto can never reach real AWS by accident.
 * @example
 * const ec2 = await clientIn('eu-west-1', { aws: { region: 'us-east-1' } })
 */
export async function clientIn(region: string, options: ImagesOptions): Promise<EC2Client> {
  if (options.clientFor) return options.clientFor(region)
  if (options.ec2 && (await regionOfClient(options.ec2)) === region) return options.ec2
  if (options.ec2 && !options.aws) {
    throw new ValidationError({
      field: 'clientFor',
      value: region,
      allowed: `a client for ${region}: pass clientFor(region) or aws options (the injected ec2 client is for another region)`,
    })
  }
  const { EC2Client } = await sdk()
  return new EC2Client(awsClientConfig(options.aws ?? {}, region))
}

/**
 * The region an operation runs in: the input's, else `aws.region`, else the injected client's.
 * @example
 * const region = await resolveRegion(input.region, options)
 */
export async function resolveRegion(
  region: string | undefined,
  options: ImagesOptions,
): Promise<string> {
  if (region !== undefined) return validate.region(region)
  if (options.aws?.region) return validate.region(options.aws.region)
  if (options.ec2) {
    const fromClient = await regionOfClient(options.ec2)
    if (fromClient) return validate.region(fromClient)
  }
  throw new ValidationError({
    field: 'region',
    value: undefined,
    allowed: 'a region in the input, in aws.region, or on the injected ec2 client',
  })
}

async function regionOfClient(client: EC2Client): Promise<string | undefined> {
  const region = client.config.region
  return typeof region === 'function' ? await region() : region
}
