// Glue between a pipeline's StepEnv and the plain functions' options.
import { awsClientConfig, isPlaceholder, type StepEnv } from '@ferry/core'
import { sdk } from './clients.js'
import type { ImagesOptions } from './options.js'

/** A server as these steps need it: `@ferry/ec2`'s WebServer and core's ServerRef fit. */
export interface ServerLike {
  instanceId?: string
  region?: string
}

/** A snapshot in the context. */
export interface SnapshotRef {
  snapshotId: string
  volumeId: string
  region: string
}

/** An AMI in the context. */
export interface AmiRef {
  imageId: string
  region: string
  snapshotIds: string[]
}

/**
 * ImagesOptions for a step: shared per-region clients, the run's tags, journal and events.
 * @example
 * await snapshotVolume(input, stepOptions(env))
 */
export function stepOptions(env: StepEnv, extra: Partial<ImagesOptions> = {}): ImagesOptions {
  return {
    aws: env.aws,
    clientFor: async (region) => {
      const { EC2Client } = await sdk()
      return env.client(`ec2:${region}`, () => new EC2Client(awsClientConfig(env.aws, region)))
    },
    onEvent: env.onEvent,
    signal: env.signal,
    clock: env.clock,
    runId: env.runId,
    step: env.step,
    record: (key, value) => env.record(key, value),
    recorded: (key) => env.recorded(key),
    ...extra,
  }
}

/**
 * The value if it passes `check`, else `fallback` (for DryRun calls made before ids exist).
 * @example
 * realOr(ctx.server.instanceId, validate.instanceId, 'i-00000000000000000')
 */
export function realOr(value: unknown, check: (v: unknown) => string, fallback: string): string {
  try {
    return check(value)
  } catch {
    return fallback
  }
}

/**
 * The region, unless it is still a plan placeholder (`{{server.region}}` in a pipeline's
 * preflight, before the server exists): then undefined, so the run's region is used.
 * @example
 * await resolveRegion(knownRegion(r.region), options)
 */
export function knownRegion(region: string | undefined): string | undefined {
  return region === undefined || isPlaceholder(region) ? undefined : region
}
