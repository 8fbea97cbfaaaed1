// The EC2 SDK, loaded on first use: importing @ferry/ec2 for runContainer alone never pays for
// the EC2 client (~0.7 s cold). Every EC2 call goes through `ec2Call`, which maps errors.
import type { EC2Client } from '@aws-sdk/client-ec2'
import type * as Ec2Module from '@aws-sdk/client-ec2'
import {
  awsClientConfig,
  callAws,
  createEmitter,
  retryFresh,
  systemClock,
  type AwsOptions,
  type Clock,
  type EventSink,
  validate,
} from '@ferry/core'

/** The `@aws-sdk/client-ec2` module. */
export type Ec2Sdk = typeof Ec2Module

let sdk: Promise<Ec2Sdk> | undefined

/**
 * Loads `@aws-sdk/client-ec2` once.
 * @example
 * const { DescribeImagesCommand } = await loadEc2Sdk()
 */
export function loadEc2Sdk(): Promise<Ec2Sdk> {
  sdk ??= import('@aws-sdk/client-ec2')
  return sdk
}

/** What every EC2 function accepts besides its input. */
export interface Ec2Options {
  /** A client to use; none is constructed when given. */
  ec2?: EC2Client
  /** How to build a client when `ec2` is not given (region, endpoint, credentials). */
  aws?: AwsOptions
  /** Overrides `aws.region`. */
  region?: string
  onEvent?: EventSink
  signal?: AbortSignal
  clock?: Clock
}

/** A resolved EC2 context: the client, its region and the event sink. */
export interface Ec2Context {
  readonly ec2: EC2Client
  readonly sdk: Ec2Sdk
  readonly region: string
  readonly emit: EventSink
  readonly signal: AbortSignal | undefined
  readonly clock: Clock
}

/**
 * Resolves the client (the given one, else a new one from `aws`/`region`) and its region.
 * @example
 * const ctx = await ec2Context({ aws: { region: 'ap-south-1' } })
 */
export async function ec2Context(options: Ec2Options = {}): Promise<Ec2Context> {
  // A region AWS does not serve is refused here, before the SDK is even loaded.
  if (options.region !== undefined) validate.region(options.region)
  const mod = await loadEc2Sdk()
  const ec2 = options.ec2 ?? new mod.EC2Client(awsClientConfig(options.aws, options.region))
  const region = options.region ?? (await ec2.config.region())
  return {
    ec2,
    sdk: mod,
    region,
    emit: createEmitter(options.onEvent),
    signal: options.signal,
    clock: options.clock ?? systemClock,
  }
}

/**
 * One EC2 call: emits `aws:call` and maps a failure to an AwsError (request id, retryability).
 * @example
 * const out = await ec2Call(ctx, 'DescribeImages', (s, ec2) => ec2.send(new s.DescribeImagesCommand(input)))
 */
export function ec2Call<T>(
  ctx: Ec2Context,
  operation: string,
  call: (sdk: Ec2Sdk, ec2: EC2Client) => Promise<T>,
): Promise<T> {
  return callAws({ service: 'EC2', operation, onEvent: ctx.emit }, () => call(ctx.sdk, ctx.ec2))
}

/**
 * An EC2 call that names an id this run just created: retried while EC2 answers NotFound for it
 * (eventual consistency), then the error stands. Pass the codes that mean "not visible yet".
 * @example
 * await ec2CallFresh(ctx, { operation: 'CreateTags', codes: ['InvalidInstanceID.NotFound'] }, (s, ec2) => ec2.send(new s.CreateTagsCommand(input)))
 */
export function ec2CallFresh<T>(
  ctx: Ec2Context,
  { operation, codes }: { operation: string; codes: string[] },
  call: (sdk: Ec2Sdk, ec2: EC2Client) => Promise<T>,
): Promise<T> {
  return retryFresh(() => ec2Call(ctx, operation, call), {
    codes,
    signal: ctx.signal,
    clock: ctx.clock,
    onEvent: ctx.emit,
  })
}
