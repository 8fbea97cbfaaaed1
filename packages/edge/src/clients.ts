// The two AWS clients this package uses, loaded on first use: importing @ferry/edge must not pay
// for an SDK the caller never touches. Global Accelerator's API lives only in us-west-2.
import type * as CloudFrontSdk from '@aws-sdk/client-cloudfront'
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront'
import type * as AcceleratorSdk from '@aws-sdk/client-global-accelerator'
import type { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator'
import { awsClientConfig, ValidationError, type AwsOptions, type StepEnv } from '@ferry/core'

/**
 * The only region the Global Accelerator API answers in, whatever region the deploy uses.
 * @example
 * new GlobalAcceleratorClient({ region: GLOBAL_ACCELERATOR_REGION })
 */
export const GLOBAL_ACCELERATOR_REGION = 'us-west-2'

/**
 * The CloudFront SDK module, imported on first use.
 * @example
 * const { CreateInvalidationCommand } = await cloudFrontSdk()
 */
export const cloudFrontSdk = (): Promise<typeof CloudFrontSdk> =>
  import('@aws-sdk/client-cloudfront')
/**
 * The Global Accelerator SDK module, imported on first use.
 * @example
 * const { DescribeAcceleratorCommand } = await acceleratorSdk()
 */
export const acceleratorSdk = (): Promise<typeof AcceleratorSdk> =>
  import('@aws-sdk/client-global-accelerator')

/** Where a client comes from: an injected one, the step's shared pool, or AWS options. */
export interface ClientSource<TClient> {
  client?: TClient
  aws?: AwsOptions
  env?: Pick<StepEnv, 'client' | 'aws'>
}

/**
 * The CloudFront client to use: the injected one, else one built from the AWS options.
 * CloudFront is global; its API is signed for us-east-1 unless the options name a region.
 * @example
 * const cf = await cloudFrontClient({ aws: { region: 'ap-south-1' } })
 */
export async function cloudFrontClient(
  o: ClientSource<CloudFrontClient>,
): Promise<CloudFrontClient> {
  if (o.client) return o.client
  const { CloudFrontClient } = await cloudFrontSdk()
  const aws = o.env?.aws ?? o.aws ?? {}
  const make = () => new CloudFrontClient(awsClientConfig(aws, aws.region ?? 'us-east-1'))
  return o.env ? o.env.client('cloudfront', make) : make()
}

/**
 * The Global Accelerator client to use, always in us-west-2: built with that region, or, when
 * injected, checked and refused if it is set to another region.
 * @example
 * const ga = await acceleratorClient({ aws: { region: 'ap-south-1' } }) // still us-west-2
 */
export async function acceleratorClient(
  o: ClientSource<GlobalAcceleratorClient>,
): Promise<GlobalAcceleratorClient> {
  if (o.client) {
    const region = await o.client.config.region()
    if (region !== GLOBAL_ACCELERATOR_REGION)
      throw new ValidationError({
        field: 'globalAccelerator (client region)',
        value: region,
        allowed: `a GlobalAcceleratorClient for ${GLOBAL_ACCELERATOR_REGION}: the Global Accelerator API answers only there, whatever region the endpoints are in`,
      })
    return o.client
  }
  const { GlobalAcceleratorClient } = await acceleratorSdk()
  const aws = o.env?.aws ?? o.aws ?? {}
  const make = () => new GlobalAcceleratorClient(awsClientConfig(aws, GLOBAL_ACCELERATOR_REGION))
  return o.env ? o.env.client(`globalaccelerator:${GLOBAL_ACCELERATOR_REGION}`, make) : make()
}
