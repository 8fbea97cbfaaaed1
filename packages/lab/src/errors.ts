/** The parts of the lab that can fail to start or stop. */
export type LabComponent =
  | 'lab'
  | 'moto'
  | 'sshd'
  | 'nginx'
  | 'challtestsrv'
  | 'pebble'
  | 'podman'
  | 'global-accelerator'
  | 'aws'

const BRAND = Symbol.for('ferry:lab-error')

/**
 * A lab component failed: the message names it and ends with the tail of its log, so a CI
 * log shows why without opening files.
 *
 * @example
 * try { await startLab() } catch (e) { if (LabError.is(e)) process.stderr.write(e.logTail) }
 */
export class LabError extends Error {
  readonly [BRAND] = true
  override readonly name = 'LabError'
  /** Last lines of the component's log ('' when it has none). */
  readonly logTail: string

  constructor(
    readonly component: LabComponent,
    message: string,
    options: { logTail?: string; logPath?: string; cause?: unknown } = {},
  ) {
    const tail = options.logTail?.trimEnd() ?? ''
    const where = options.logPath ? ` (${options.logPath})` : ''
    super(
      `[lab] ${component}: ${message}` +
        (tail ? `\n--- last lines of its log${where} ---\n${tail}` : ''),
      { cause: options.cause },
    )
    this.logTail = tail
  }

  /** True for a LabError from any installed copy of this package. */
  static is(value: unknown): value is LabError {
    return typeof value === 'object' && value !== null && BRAND in value
  }
}
