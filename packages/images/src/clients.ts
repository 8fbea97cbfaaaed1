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
 * The region an operation runs in: the input's, else `aws.region`, else the injected client's,
 * else the SDK's own, as every ferry package (`AWS_REGION`, else the profile's `region`:
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/setting-region.html).
 * @example
 * const region = await resolveRegion(input.region, options)
 */
export async function resolveRegion(
  region: string | undefined,
  options: ImagesOptions,
): Promise<string> {
  if (region !== undefined) return validate.region(region)
  if (options.aws?.region) return validate.region(options.aws.region)
  const fromClient = options.ec2 ? await regionOfClient(options.ec2) : await sdkRegion(options)
  if (fromClient) return validate.region(fromClient)
  throw new ValidationError({
    field: 'region',
    value: undefined,
    allowed:
      'a region in the input, in aws.region, on the injected ec2 client, in AWS_REGION or in the profile',
  })
}

// The region an SDK client built from `aws` would use; undefined when none is configured.
async function sdkRegion(options: ImagesOptions): Promise<string | undefined> {
  const { EC2Client } = await sdk()
  const client = new EC2Client(awsClientConfig(options.aws ?? {}))
  try {
    return await client.config.region()
  } catch {
    return undefined
  } finally {
    client.destroy()
  }
}

async function regionOfClient(client: EC2Client): Promise<string | undefined> {
  const region = client.config.region
  return typeof region === 'function' ? await region() : region
}
