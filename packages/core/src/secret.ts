// A value that renders as [REDACTED] in strings, JSON, util.inspect and errors;
// only `reveal()` (called where the value goes on the wire) gives it back.

const SECRET = Symbol.for('ferry:secret')
const inspect = Symbol.for('nodejs.util.inspect.custom')

/**
 * What a secret looks like everywhere but on the wire.
 * @example
 * String(new Secret('hunter2')) === REDACTED // true
 */
export const REDACTED = '[REDACTED]'

/**
 * Wraps a sensitive string so it never shows in events, logs or error messages.
 * @example
 * const token = new Secret(process.env.API_TOKEN!)
 * cmd('docker', 'run', '-e', envPair('TOKEN', token), image) // logged as TOKEN=[REDACTED]
 */
export class Secret {
  readonly [SECRET] = true
  #value: string | (() => string)
  /** The file this value was read from or written to, when known (the journal refers to it). */
  readonly file: string | undefined

  /**
   * `value` may be a function, called on the first `reveal()` (a journal's secrets are read back
   * only when used). `file`: where the value lives on disk, so it need not be copied elsewhere.
   */
  constructor(value: string | (() => string), options: { file?: string } = {}) {
    this.#value = value
    this.file = options.file
  }

  /** The real value: call only where it is sent to a host or an API. */
  reveal(): string {
    if (typeof this.#value === 'function') this.#value = this.#value()
    return this.#value
  }

  toString(): string {
    return REDACTED
  }

  toJSON(): string {
    return REDACTED
  }

  [inspect](): string {
    return `Secret(${REDACTED})`
  }

  /** True for a Secret from this copy of @ferry/core or another. */
  static is(value: unknown): value is Secret {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[SECRET] === true
    )
  }
}

/**
 * Wraps a value in a Secret unless it already is one.
 * @example
 * const key = secret(options.privateKey)
 */
export function secret(value: string | Secret): Secret {
  return Secret.is(value) ? value : new Secret(value)
}

/**
 * The plain value of a string or Secret.
 * @example
 * reveal(options.password)
 */
export function reveal(value: string | Secret): string {
  return Secret.is(value) ? value.reveal() : value
}
