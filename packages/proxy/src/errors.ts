// The proxy's own errors: an nginx change that was refused (and rolled back), and a certificate
// that could not be issued. Both carry data, never behaviour; match on `code` and the fields.
import { FerryError, isFerryError, tailLines } from '@ferry/core'

/** Which stage of an nginx change failed. */
export type NginxPhase = 'install' | 'test' | 'reload'

/**
 * nginx refused a change: `nginx -t` or the reload failed (or nginx could not be installed).
 * `restored` says whether the previous files were put back, so nginx keeps serving the old routes.
 * @example
 * try { await configureReverseProxy(host, input) } catch (e) {
 *   if (NginxError.is(e)) console.error(e.phase, e.restored, e.stderrTail)
 * }
 */
export class NginxError extends FerryError {
  override name = 'NginxError'
  readonly host: string
  readonly phase: NginxPhase
  readonly stderrTail: string
  readonly restored: boolean
  readonly paths: readonly string[]

  constructor(o: {
    host: string
    phase: NginxPhase
    stderr: string
    restored: boolean
    paths?: readonly string[]
    cause?: unknown
  }) {
    const tail = tailLines(o.stderr, 20)
    const what = {
      install: `nginx is not available on ${o.host}.`,
      test: `nginx -t failed on ${o.host}.`,
      reload: `the nginx reload failed on ${o.host}.`,
    }[o.phase]
    const after = o.restored
      ? ' The previous configuration was restored; nginx keeps serving the old routes.'
      : o.phase === 'install'
        ? ''
        : ' The previous configuration could NOT be restored: check the host.'
    super('COMMAND_FAILED', `${what}${after}${tail ? `\n${tail}` : ''}`, {
      cause: o.cause,
    })
    this.host = o.host
    this.phase = o.phase
    this.stderrTail = tail
    this.restored = o.restored
    this.paths = o.paths ?? []
  }

  static override is(value: unknown): value is NginxError {
    return isFerryError(value, 'COMMAND_FAILED') && (value as Error).name === 'NginxError'
  }
}

/** Why a certificate could not be issued. */
export type CertificateFailure =
  'dns' | 'http' | 'account-key' | 'order' | 'ca-unreachable' | 'certificate'

/**
 * A certificate was not issued: the preflight (DNS, port 80) or the CA refused. The previous
 * certificate and configuration keep serving. Never holds a key.
 * @example
 * if (CertificateError.is(e) && e.reason === 'dns') console.error(`${e.domain} does not point here`)
 */
export class CertificateError extends FerryError {
  override name = 'CertificateError'
  readonly reason: CertificateFailure
  readonly domain: string | undefined
  /** The ACME problem type, e.g. `urn:ietf:params:acme:error:unauthorized`, when the CA sent one. */
  readonly acmeType: string | undefined

  constructor(o: {
    reason: CertificateFailure
    message: string
    domain?: string
    acmeType?: string
    retryable?: boolean
    cause?: unknown
  }) {
    super(o.reason === 'account-key' ? 'CONFLICT' : 'PRECONDITION', o.message, {
      cause: o.cause,
      retryable: o.retryable ?? o.reason === 'ca-unreachable',
    })
    this.reason = o.reason
    this.domain = o.domain
    this.acmeType = o.acmeType
  }

  static override is(value: unknown): value is CertificateError {
    return FerryError.is(value) && value.name === 'CertificateError'
  }
}
