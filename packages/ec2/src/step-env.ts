// What the step factories share: the run's EC2 client, and DryRun permission checks.
import type { EC2Client } from '@aws-sdk/client-ec2'
import { awsClientConfig, type StepEnv } from '@ferry/core'
import { ec2Context, loadEc2Sdk, type Ec2Context } from './sdk.js'

/**
 * The run's shared EC2 client (one per Region), made on first use.
 * @example
 * const ec2 = await stepEc2(env)
 */
export async function stepEc2(env: StepEnv, region?: string): Promise<EC2Client> {
  const sdk = await loadEc2Sdk()
  const config = awsClientConfig(env.aws, region)
  return env.client(`ec2:${config.region ?? 'default'}`, () => new sdk.EC2Client(config))
}

/**
 * An EC2 context for a step: the shared client, the step's events, signal and clock.
 * @example
 * const ctx = await stepContext(env)
 */
export async function stepContext(env: StepEnv, region?: string): Promise<Ec2Context> {
  return ec2Context({
    ec2: await stepEc2(env, region),
    onEvent: env.onEvent,
    signal: env.signal,
    clock: env.clock,
  })
}
