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
  /** Longest wait for a snapshot, image or volume to be ready, in ms. Default 6 hours. */
  maxWaitTime?: number
  /** Journal hooks (a pipeline's `env.record` / `env.recorded`) for adopting a created id. */
  record?: (key: string, value: string) => Promise<void>
  recorded?: (key: string) => string | undefined
}

/**
 * Default for `maxWaitTime`: 6 hours. A snapshot "can take several hours to complete"
 * (https://docs.aws.amazon.com/ebs/latest/userguide/ebs-creating-snapshot.html), an AMI copy
 * copies every snapshot and is best-effort unless time-based, whose durations run from 15
 * minutes to 48 hours (https://docs.aws.amazon.com/ebs/latest/userguide/time-based-copies.html).
 * A copy that outlasts the wait is kept for a re-run to adopt, so this bounds patience, not work.
 * @example
 * await createAmi(input, { maxWaitTime: 2 * DEFAULT_MAX_WAIT_MS })
 */
export const DEFAULT_MAX_WAIT_MS = 6 * 3_600_000

/** The step name used for tags when a function runs outside a pipeline. */
export const DEFAULT_STEP = 'images'
