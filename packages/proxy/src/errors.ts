// The proxy's own errors: an nginx change that was refused (and rolled back), and a certificate
// that could not be issued. Both carry data, never behaviour; match on `code` and the fields.
import { FerryError, isFerryError, tailLines } from '@ferry/core'

/** Which stage of an nginx change failed. */
export type NginxPhase = 'install' | 'test' | 'reload'

/** What nginx serves after a refused change: the old routes, or (reload failed twice) unknown. */
export type NginxServing = 'previous' | 'unknown'

/**
 * nginx refused a change: `nginx -t` or the reload failed (or nginx could not be installed).
 * `restored` says whether the previous files were put back; `serving` whether nginx was shown to
 * serve them (after a failed reload they are reloaded, as the failed one may have applied).
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
  readonly serving: NginxServing
  readonly paths: readonly string[]

  constructor(o: {
    host: string
    phase: NginxPhase
    stderr: string
    restored: boolean
    /** Default 'previous' when restored, else 'unknown'. */
    serving?: NginxServing
    paths?: readonly string[]
    cause?: unknown
  }) {
    const tail = tailLines(o.stderr, 20)
    const what = {
      install: `nginx is not available on ${o.host}.`,
      test: `nginx -t failed on ${o.host}.`,
      reload: `the nginx reload failed on ${o.host}.`,
    }[o.phase]
    const serving = o.serving ?? (o.restored ? 'previous' : 'unknown')
    const after = afterFailure(o.phase, o.restored, serving)
    super('COMMAND_FAILED', `${what}${after}${tail ? `\n${tail}` : ''}`, {
      cause: o.cause,
    })
    this.host = o.host
    this.phase = o.phase
    this.stderrTail = tail
    this.restored = o.restored
    this.serving = serving
    this.paths = o.paths ?? []
  }

  static override is(value: unknown): value is NginxError {
    return isFerryError(value, 'COMMAND_FAILED') && (value as Error).name === 'NginxError'
  }
}

// What the host holds after a refused change, in words.
function afterFailure(phase: NginxPhase, restored: boolean, serving: NginxServing): string {
  if (phase === 'install') return ''
  if (!restored) return ' The previous configuration could NOT be restored: check the host.'
  if (serving === 'unknown')
    return ' The previous files were restored, but nginx could not be shown to reload them: it may still serve the new routes until its next reload; check the host.'
  return phase === 'reload'
    ? ' The previous configuration was restored and nginx serves the old routes.'
    : ' The previous configuration was restored; nginx keeps serving the old routes.'
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
