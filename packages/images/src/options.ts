// What every @ferry/images function takes besides its input: injected clients, AWS settings,
// events, cancellation, and the run identity used to tag and to adopt what a re-run finds.
import type { EC2Client } from '@aws-sdk/client-ec2'
import type { AwsOptions, Clock, EventSink } from '@ferry/core'

/** Options shared by every function of this package. */
export interface ImagesOptions {
  /** The EC2 client of the input's region. Never replaced when given. */
  ec2?: EC2Client
  /** The EC2 client for any region (multi-region calls); wins over `ec2` and `aws`. */
  clientFor?: (region: string) => EC2Client | Promise<EC2Client>
  /** Used to build a client for a region that has none injected. */
  aws?: AwsOptions
  onEvent?: EventSink
  signal?: AbortSignal
  clock?: Clock
  /** Tags `ferry:run` and lets a re-run adopt what an earlier attempt created. */
  runId?: string
  /** Tags `ferry:step` (default `images`): a re-run adopts only what the same step made. */
  step?: string
  /** Longest wait for a snapshot, image or volume to be ready, in ms. Default 30 minutes. */
  maxWaitTime?: number
  /** Journal hooks (a pipeline's `env.record` / `env.recorded`) for adopting a created id. */
  record?: (key: string, value: string) => Promise<void>
  recorded?: (key: string) => string | undefined
}

/**
 * Default for `maxWaitTime`: snapshots of large volumes and AMI copies take many minutes.
 * @example
 * await createAmi(input, { maxWaitTime: 2 * DEFAULT_MAX_WAIT_MS })
 */
export const DEFAULT_MAX_WAIT_MS = 30 * 60_000

/** The step name used for tags when a function runs outside a pipeline. */
export const DEFAULT_STEP = 'images'
