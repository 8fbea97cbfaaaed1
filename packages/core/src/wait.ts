// Polling and retry with backoff and jitter, for states that have no SDK waiter.
import { FerryError, TimeoutError } from './errors.js'
import { createEmitter, type EventSink } from './events.js'

/** Injected time, so tests and callers control the clock. */
export interface Clock {
  now: () => number
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  random: () => number
}

/**
 * The real clock.
 * @example
 * await systemClock.sleep(500)
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, signal),
  random: () => Math.random(),
}

/**
 * Resolves after `ms`, or rejects with an ABORTED error when the signal fires.
 * @example
 * await sleep(500, signal)
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(signal))
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(aborted(signal!))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * An ABORTED ferry error for a fired signal.
 * @example
 * if (signal.aborted) throw aborted(signal)
 */
export function aborted(signal: AbortSignal): FerryError {
  return new FerryError('ABORTED', 'The operation was aborted.', { cause: signal.reason })
}

/** A backoff policy as data. Delays grow by `factor` from `minDelayMs` up to `maxDelayMs`. */
export interface BackoffPolicy {
  minDelayMs: number
  maxDelayMs: number
  factor: number
  /** Full jitter: each delay is drawn from [delay/2, delay]. */
  jitter: boolean
}

/**
 * The default: 1 s, growing 1.5× to 30 s, with jitter.
 * @example
 * await retry(call, { ...defaultBackoff, attempts: 5 }) // 1 s, 1.5 s, 2.25 s … with jitter
 */
export const defaultBackoff: BackoffPolicy = {
  minDelayMs: 1000,
  maxDelayMs: 30_000,
  factor: 1.5,
  jitter: true,
}

/**
 * The delay before attempt `attempt + 1` (attempt starts at 1).
 * @example
 * backoffDelay({ ...defaultBackoff, jitter: false }, 2) // 1500
 */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxDelayMs, policy.minDelayMs * policy.factor ** (attempt - 1))
  return Math.round(policy.jitter ? base / 2 + (random() * base) / 2 : base)
}

/** What a poll returns: done with a value, or not yet, with the state seen. */
export type PollResult<T> =
  { done: true; value: T } | { done: false; state?: string; percent?: number }

/** Options for `waitFor`. */
export interface WaitOptions {
  /** Names the awaited thing in events and errors, e.g. `accelerator abc DEPLOYED`. */
  what: string
  /** Give up after this long; default 10 minutes. */
  maxWaitTime?: number
  backoff?: Partial<BackoffPolicy>
  signal?: AbortSignal
  onEvent?: EventSink
  clock?: Clock
}

/**
 * Polls `check` until it reports done, with backoff, jitter, a deadline, abort and progress events.
 * A retryable error from `check` (throttling, a dropped connection) counts as "not yet".
 * @example
 * const acc = await waitFor(async () => {
 *   const { Accelerator } = await ga.send(new DescribeAcceleratorCommand({ AcceleratorArn }))
 *   return Accelerator?.Status === 'DEPLOYED' ? { done: true, value: Accelerator } : { done: false, state: Accelerator?.Status }
 * }, { what: 'accelerator DEPLOYED', maxWaitTime: 900_000 })
 */
export async function waitFor<T>(
  check: (attempt: number) => Promise<PollResult<T>>,
  options: WaitOptions,
): Promise<T> {
  const clock = options.clock ?? systemClock
  const policy = { ...defaultBackoff, ...options.backoff }
  const maxWait = options.maxWaitTime ?? 600_000
  const emit = createEmitter(options.onEvent)
  const start = clock.now()
  let lastState: string | undefined
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw aborted(options.signal)
    let result: PollResult<T>
    try {
      result = await check(attempt)
    } catch (error) {
      if (!(FerryError.is(error) && error.retryable)) throw error
      result = { done: false, state: `retrying after ${error.code}` }
    }
    if (result.done) return result.value
    lastState = result.state ?? lastState
    const elapsedMs = clock.now() - start
    emit({
      type: 'wait:progress',
      what: options.what,
      attempt,
      elapsedMs,
      state: result.state,
      percent: result.percent,
    })
    const delay = Math.min(backoffDelay(policy, attempt, clock.random), maxWait - elapsedMs)
    if (delay <= 0) throw new TimeoutError({ what: options.what, waitedMs: elapsedMs, lastState })
    await clock.sleep(delay, options.signal)
  }
}

/** A retry policy as data: how many attempts, the backoff, and which errors to retry. */
export interface RetryPolicy extends BackoffPolicy {
  attempts: number
  retryable?: (error: unknown) => boolean
}

/**
 * Runs `fn` until it succeeds or its error is not retryable or attempts run out.
 * By default only ferry errors marked `retryable` are retried.
 * @example
 * await retry(() => host.connect(), { ...defaultBackoff, attempts: 10 })
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: {
    signal?: AbortSignal
    clock?: Clock
    onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  } = {},
): Promise<T> {
  const clock = options.clock ?? systemClock
  const retryable = policy.retryable ?? ((e: unknown) => FerryError.is(e) && e.retryable)
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (attempt >= policy.attempts || !retryable(error)) throw error
      const delay = backoffDelay(policy, attempt, clock.random)
      options.onRetry?.(error, attempt, delay)
      await clock.sleep(delay, options.signal)
    }
  }
}
