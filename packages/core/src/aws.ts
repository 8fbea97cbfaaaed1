// AWS client configuration and error mapping. Core never imports a service client: modules
// pass their own clients, built from `awsClientConfig`, and wrap calls in `callAws`.
import { AwsError, FerryError } from './errors.js'
import { createEmitter, type EventSink } from './events.js'
import { region as checkRegion } from './validate.js'
import { retry, type Clock } from './wait.js'

/** Static or provider-supplied AWS credentials, as the SDK takes them. */
export type AwsCredentials =
  | { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | (() => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>)

/** How ferry builds AWS clients. Leave `credentials` unset to use the SDK's default chain. */
export interface AwsOptions {
  region?: string
  /** An endpoint override, e.g. the lab's moto server. */
  endpoint?: string
  credentials?: AwsCredentials
  /** Total attempts per call including the first, for the SDK's retry strategy. Default 5. */
  maxAttempts?: number
  retryMode?: 'standard' | 'adaptive'
}

/** The config object to pass to any AWS SDK v3 client constructor. */
export interface AwsClientConfig {
  region: string | undefined
  endpoint?: string
  credentials?: AwsCredentials
  maxAttempts: number
  retryMode: 'standard' | 'adaptive'
}

/**
 * Client config from ferry's AWS options; `region` overrides the options' region (Global
 * Accelerator always passes 'us-west-2').
 * @example
 * const ec2 = new EC2Client(awsClientConfig({ region: 'ap-south-1' }))
 */
export function awsClientConfig(
  options: AwsOptions = {},
  regionOverride?: string,
): AwsClientConfig {
  const region = regionOverride ?? options.region
  if (region !== undefined) checkRegion(region)
  return {
    region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: options.retryMode ?? 'standard',
  }
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'EC2ThrottledException',
])
const TRANSIENT = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
])

interface SdkErrorShape {
  name?: string
  code?: string
  message?: string
  $fault?: 'client' | 'server'
  $retryable?: { throttling?: boolean }
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string }
}

/**
 * Maps an AWS SDK error to an `AwsError` that keeps the request id and retryability.
 * @example
 * catch (e) { throw toAwsError(e, { service: 'EC2', operation: 'RunInstances' }) }
 */
export function toAwsError(
  error: unknown,
  where: { service: string; operation: string },
): FerryError {
  if (FerryError.is(error)) return error
  const e = (
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  ) as SdkErrorShape
  const awsCode = e.name && e.name !== 'Error' ? e.name : (e.code ?? 'UnknownError')
  const status = e.$metadata?.httpStatusCode
  const retryable =
    e.$retryable !== undefined ||
    THROTTLING.has(awsCode) ||
    TRANSIENT.has(awsCode) ||
    TRANSIENT.has(e.code ?? '') ||
    e.$fault === 'server' ||
    (status !== undefined && status >= 500)
  return new AwsError({
    service: where.service,
    operation: where.operation,
    awsCode,
    message: e.message ?? 'no message',
    requestId: e.$metadata?.requestId ?? e.$metadata?.extendedRequestId,
    httpStatus: status,
    retryable,
    cause: error,
  })
}

/**
 * Runs one AWS call, emitting an `aws:call` event and mapping any failure to an `AwsError`.
 * @example
 * const out = await callAws({ service: 'EC2', operation: 'RunInstances' }, () => ec2.send(new RunInstancesCommand(input)))
 */
export async function callAws<T>(
  where: { service: string; operation: string; onEvent?: EventSink },
  call: () => Promise<T>,
): Promise<T> {
  createEmitter(where.onEvent)({
    type: 'aws:call',
    service: where.service,
    operation: where.operation,
  })
  try {
    return await call()
  } catch (error) {
    throw toAwsError(error, where)
  }
}

/**
 * Yields each page of an SDK paginator, emitting `aws:call` per page and mapping failures.
 * @example
 * for await (const page of awsPages({ service: 'CloudFront', operation: 'ListDistributions' }, paginateListDistributions({ client }, {}))) use(page)
 */
export async function* awsPages<T>(
  where: { service: string; operation: string; onEvent?: EventSink },
  pages: AsyncIterable<T>,
): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]()
  for (;;) {
    const next = await callAws(where, () => iterator.next())
    if (next.done) return
    yield next.value
  }
}

/**
 * True when `error` is an AwsError whose AWS code is one of `codes` (`'NotFound'` also matches
 * any `*.NotFound` / `*NotFound` code).
 * @example
 * if (isAwsCode(e, 'NotFound')) return // already gone
 */
export function isAwsCode(error: unknown, ...codes: string[]): boolean {
  if (!AwsError.is(error)) return false
  return codes.some(
    (c) => error.awsCode === c || (c === 'NotFound' && /NotFound$/.test(error.awsCode)),
  )
}

/**
 * Runs a `DryRun: true` call for a preflight: `DryRunOperation` means allowed; a permission
 * error becomes an AwsError naming the IAM action to grant; any other answer (e.g. an id that
 * exists only after earlier steps) leaves the permission unproven and is reported as a warning.
 * @example
 * await dryRun(() => ec2.send(new RunInstancesCommand({ ...input, DryRun: true })), { operation: 'RunInstances', onEvent })
 */
export async function dryRun(
  call: () => Promise<unknown>,
  where: { operation: string; service?: string; onEvent?: EventSink },
): Promise<void> {
  const service = where.service ?? 'EC2'
  try {
    await call()
  } catch (raw) {
    const error = toAwsError(raw, { service, operation: where.operation })
    if (isAwsCode(error, 'DryRunOperation')) return
    const action = `${service.toLowerCase()}:${where.operation}`
    if (
      AwsError.is(error) &&
      isAwsCode(error, 'UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException')
    ) {
      throw new AwsError({
        service,
        operation: where.operation,
        awsCode: error.awsCode,
        message: `the caller lacks the IAM permission ${action}; grant it (and ${service.toLowerCase()}:CreateTags for tagging) before running`,
        requestId: error.requestId,
        httpStatus: error.httpStatus,
        cause: raw,
      })
    }
    if (error.code === 'ABORTED') throw error
    createEmitter(where.onEvent)({
      type: 'warning',
      message: `preflight could not prove ${action} is allowed: ${error.message}`,
    })
  }
}

/**
 * The tag key holding a run id on everything ferry creates.
 * @example
 * const filters = [{ Name: `tag:${RUN_TAG}`, Values: [runId] }]
 */
export const RUN_TAG = 'ferry:run'
/**
 * The tag key holding the pipeline step that created a resource.
 * @example
 * const step = instance.Tags?.find((t) => t.Key === STEP_TAG)?.Value
 */
export const STEP_TAG = 'ferry:step'

/** An AWS tag. */
export interface Tag {
  Key: string
  Value: string
}

/**
 * The tags ferry puts on what it creates: `Name`, `ferry:run`, `ferry:step`, plus extras.
 * @example
 * ferryTags({ runId: 'r1', step: 'launch', name: 'web' })
 */
export function ferryTags(o: {
  runId?: string
  step?: string
  name?: string
  extra?: Record<string, string>
}): Tag[] {
  const tags: Tag[] = []
  if (o.name) tags.push({ Key: 'Name', Value: o.name })
  if (o.runId) tags.push({ Key: RUN_TAG, Value: o.runId })
  if (o.step) tags.push({ Key: STEP_TAG, Value: o.step })
  for (const [Key, Value] of Object.entries(o.extra ?? {})) tags.push({ Key, Value })
  return tags
}

/** An EC2 Describe* filter. */
export interface AwsFilter {
  Name: string
  Values: string[]
}

/**
 * Describe* filters for what a run (and optionally one of its steps) tagged, plus extra filters.
 * @example
 * runFilters({ runId: 'r1', step: 'launch' }, { 'instance-state-name': 'running' })
 */
export function runFilters(
  o: { runId: string; step?: string },
  extra: Record<string, string> = {},
): AwsFilter[] {
  const filters: AwsFilter[] = [{ Name: `tag:${RUN_TAG}`, Values: [o.runId] }]
  if (o.step) filters.push({ Name: `tag:${STEP_TAG}`, Values: [o.step] })
  for (const [Name, value] of Object.entries(extra)) filters.push({ Name, Values: [value] })
  return filters
}

/**
 * How ferry retries a call that names an id it has just created. EC2 is eventually
 * consistent: "you might get a NotFound error ... use exponential backoff ... up to about a few
 * minutes" (https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html).
 * About 75 s in all before the NotFound is believed.
 * @example
 * await retryFresh(() => tagInstance(id), { signal })
 */
export const FRESH_ID_RETRY = {
  attempts: 12,
  minDelayMs: 200,
  maxDelayMs: 10_000,
  factor: 2,
  jitter: true,
} as const

/**
 * Runs an AWS call that names ids this run just created, retrying while AWS answers NotFound
 * for them (any `*NotFound` code, or the ones given), with {@link FRESH_ID_RETRY}.
 * @example
 * await retryFresh(() => ec2Call(ctx, 'CreateTags', send), { signal: ctx.signal, clock: ctx.clock })
 */
export async function retryFresh<T>(
  call: () => Promise<T>,
  options: { signal?: AbortSignal; clock?: Clock; codes?: string[]; onEvent?: EventSink } = {},
): Promise<T> {
  const codes = options.codes ?? ['NotFound']
  return retry(
    call,
    { ...FRESH_ID_RETRY, retryable: (e) => isAwsCode(e, ...codes) },
    {
      signal: options.signal,
      clock: options.clock,
      onRetry: (e, attempt, delayMs) =>
        createEmitter(options.onEvent)({
          type: 'info',
          message: `${AwsError.is(e) ? e.awsCode : 'NotFound'} for a resource just created (AWS is eventually consistent): retry ${attempt} in ${Math.round(delayMs)} ms`,
        }),
    },
  )
}
