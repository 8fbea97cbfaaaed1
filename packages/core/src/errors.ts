// One error base class with a literal code; subclasses add data, never behaviour.
// `is()` uses a global symbol so it works across two installed copies of @ferry/core.

const BRAND = Symbol.for('ferry:error')

/** Every code a ferry error can carry. Match on `code`, never on the message. */
export type FerryErrorCode =
  | 'VALIDATION'
  | 'COMMAND_FAILED'
  | 'CONNECTION'
  | 'HOST_KEY_MISMATCH'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'AWS'
  | 'STEP'
  | 'FLEET'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION'
  | 'INCOMPLETE'

/** Options every ferry error accepts. */
export interface FerryErrorOptions {
  cause?: unknown
  retryable?: boolean
}

/**
 * The base of every error ferry throws: a literal `code`, `retryable`, and the original `cause`.
 * @example
 * try { await launchWebServer(input) } catch (e) { if (FerryError.is(e) && e.retryable) retry() }
 */
export class FerryError extends Error {
  readonly [BRAND] = true
  readonly retryable: boolean
  override name = 'FerryError'

  constructor(
    readonly code: FerryErrorCode,
    message: string,
    options: FerryErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.retryable = options.retryable ?? false
  }

  /** True for any ferry error, from this copy of the package or another. */
  static is(value: unknown): value is FerryError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true
    )
  }
}

/**
 * True when `value` is a ferry error with the given code.
 * @example
 * if (isFerryError(error, 'THROTTLED')) await sleep(1000)
 */
export function isFerryError<TCode extends FerryErrorCode>(
  value: unknown,
  code: TCode,
): value is FerryError & { code: TCode } {
  return FerryError.is(value) && value.code === code
}

/**
 * Bad input, caught before any network call: names the field, the bad value and what is allowed.
 * @example
 * throw new ValidationError({ field: 'port', value: 70000, allowed: 'an integer from 1 to 65535' })
 */
export class ValidationError extends FerryError {
  override name = 'ValidationError'
  readonly field: string
  readonly value: unknown
  readonly allowed: string

  constructor(o: { field: string; value: unknown; allowed: string; cause?: unknown }) {
    super('VALIDATION', `Invalid ${o.field}: ${describe(o.value)}; expected ${o.allowed}.`, o)
    this.field = o.field
    this.value = o.value
    this.allowed = o.allowed
  }

  static override is(value: unknown): value is ValidationError {
    return isFerryError(value, 'VALIDATION')
  }
}

/**
 * A remote command exited non-zero: host, exit code and the tail of stderr (secrets redacted).
 * @example
 * if (CommandError.is(e)) console.error(e.host, e.exitCode, e.stderrTail)
 */
export class CommandError extends FerryError {
  override name = 'CommandError'
  readonly host: string
  readonly command: string
  readonly exitCode: number | null
  readonly stderrTail: string

  constructor(o: {
    host: string
    command: string
    exitCode: number | null
    stderr: string
    signal?: string
    cause?: unknown
  }) {
    const tail = tailLines(o.stderr, 20)
    const how =
      o.exitCode === null
        ? `was killed${o.signal ? ` by ${o.signal}` : ''}`
        : `exited with ${o.exitCode}`
    super(
      'COMMAND_FAILED',
      `Command on ${o.host} ${how}: ${o.command}${tail ? `\n${tail}` : ''}`,
      o,
    )
    this.host = o.host
    this.command = o.command
    this.exitCode = o.exitCode
    this.stderrTail = tail
  }

  static override is(value: unknown): value is CommandError {
    return isFerryError(value, 'COMMAND_FAILED')
  }
}

/**
 * Could not reach or keep a connection to a host. Retryable unless authentication failed.
 * @example
 * if (ConnectionError.is(e)) console.error(`cannot reach ${e.host}:${e.port}`)
 */
export class ConnectionError extends FerryError {
  override name = 'ConnectionError'
  readonly host: string
  readonly port: number

  constructor(o: {
    host: string
    port: number
    message: string
    retryable?: boolean
    cause?: unknown
    code?: 'CONNECTION' | 'HOST_KEY_MISMATCH'
  }) {
    super(o.code ?? 'CONNECTION', o.message, { cause: o.cause, retryable: o.retryable ?? true })
    this.host = o.host
    this.port = o.port
  }

  static override is(value: unknown): value is ConnectionError {
    return isFerryError(value, 'CONNECTION') || isFerryError(value, 'HOST_KEY_MISMATCH')
  }
}

/**
 * A wait ran past its `maxWaitTime`; carries what was awaited and the last state seen.
 * @example
 * if (TimeoutError.is(e)) console.error(`${e.what} still ${e.lastState} after ${e.waitedMs} ms`)
 */
export class TimeoutError extends FerryError {
  override name = 'TimeoutError'
  readonly what: string
  readonly waitedMs: number
  readonly lastState: string | undefined

  constructor(o: { what: string; waitedMs: number; lastState?: string; cause?: unknown }) {
    const state = o.lastState ? ` (last state: ${o.lastState})` : ''
    super(
      'TIMEOUT',
      `Timed out after ${Math.round(o.waitedMs / 1000)} s waiting for ${o.what}${state}. Raise maxWaitTime or check the resource.`,
      { cause: o.cause, retryable: true },
    )
    this.what = o.what
    this.waitedMs = o.waitedMs
    this.lastState = o.lastState
  }

  static override is(value: unknown): value is TimeoutError {
    return isFerryError(value, 'TIMEOUT')
  }
}

/**
 * An AWS call failed: service, operation, AWS error code, request id and the SDK's retryability.
 * @example
 * if (AwsError.is(e) && e.awsCode === 'UnauthorizedOperation') askForPermissions(e.operation)
 */
export class AwsError extends FerryError {
  override name = 'AwsError'
  readonly service: string
  readonly operation: string
  readonly awsCode: string
  readonly requestId: string | undefined
  readonly httpStatus: number | undefined

  constructor(o: {
    service: string
    operation: string
    awsCode: string
    message: string
    requestId?: string
    httpStatus?: number
    retryable?: boolean
    cause?: unknown
  }) {
    const id = o.requestId ? ` (request id ${o.requestId})` : ''
    super('AWS', `${o.service} ${o.operation} failed with ${o.awsCode}: ${o.message}${id}`, o)
    this.service = o.service
    this.operation = o.operation
    this.awsCode = o.awsCode
    this.requestId = o.requestId
    this.httpStatus = o.httpStatus
  }

  static override is(value: unknown): value is AwsError {
    return isFerryError(value, 'AWS')
  }
}

/** What a rollback removed and what it could not. */
export interface RollbackReport {
  undone: { step: string; message: string }[]
  failed: { step: string; error: Error }[]
  /** Finished steps that have no undo: their resources stay (teardown still finds them by tags). */
  notUndoable: string[]
}

/**
 * A pipeline step failed; `cause` holds the step's own error.
 * @example
 * if (StepError.is(e)) console.error(`step ${e.step} of run ${e.runId} failed`, e.cause)
 */
export class StepError extends FerryError {
  override name = 'StepError'
  readonly step: string
  readonly runId: string
  readonly host: string | undefined
  /** Set when the pipeline rolled back after this failure. */
  rollback: RollbackReport | undefined

  constructor(o: { step: string; runId: string; host?: string; cause: unknown }) {
    const where = o.host ? ` on ${o.host}` : ''
    const why = o.cause instanceof Error ? o.cause.message : String(o.cause)
    super('STEP', `Step "${o.step}"${where} failed: ${why}`, {
      cause: o.cause,
      retryable: FerryError.is(o.cause) && o.cause.retryable,
    })
    this.step = o.step
    this.runId = o.runId
    this.host = o.host
  }

  static override is(value: unknown): value is StepError {
    return isFerryError(value, 'STEP')
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/**
 * The last `n` non-empty lines of a text.
 * @example
 * tailLines('a\nb\nc\n', 2) // 'b\nc'
 */
export function tailLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n')
}

/**
 * A step failed on some servers of a fleet: names each failing host; keeps the others' results.
 * @example
 * if (FleetError.is(e)) for (const f of e.failures) console.error(f.host, f.error.message)
 */
export class FleetError extends FerryError {
  override name = 'FleetError'
  readonly failures: { host: string; error: Error }[]
  readonly results: { host: string; value: unknown }[]

  constructor(o: {
    what: string
    failures: { host: string; error: Error }[]
    results: { host: string; value: unknown }[]
  }) {
    const list = o.failures.map((f) => `${f.host}: ${f.error.message}`).join('; ')
    super(
      'FLEET',
      `${o.what} failed on ${o.failures.length} of ${o.failures.length + o.results.length} servers: ${list}`,
      {
        cause: o.failures[0]?.error,
        retryable: o.failures.every((f) => FerryError.is(f.error) && f.error.retryable),
      },
    )
    this.failures = o.failures
    this.results = o.results
  }

  static override is(value: unknown): value is FleetError {
    return isFerryError(value, 'FLEET')
  }
}
