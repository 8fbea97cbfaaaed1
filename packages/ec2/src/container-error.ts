// The one error runContainer adds: which container, why, and the image or port concerned.
import { FerryError, isFerryError } from '@ferry/core'

/** Why a container operation failed. */
export type ContainerFailure = 'port-in-use' | 'image-not-found' | 'unhealthy' | 'no-engine'

const CODES = {
  'port-in-use': 'CONFLICT',
  'image-not-found': 'NOT_FOUND',
  unhealthy: 'PRECONDITION',
  'no-engine': 'PRECONDITION',
} as const

/**
 * A container could not be (re)started: a host port is taken, the image is missing, the new
 * container failed its health check (the old one keeps serving), or there is no engine.
 * @example
 * if (ContainerError.is(e) && e.reason === 'port-in-use') console.error(`port ${e.port} is taken`)
 */
export class ContainerError extends FerryError {
  override name = 'ContainerError'
  readonly reason: ContainerFailure
  readonly container: string
  readonly host: string
  readonly image: string | undefined
  readonly port: number | undefined

  constructor(o: {
    reason: ContainerFailure
    container: string
    host: string
    message: string
    image?: string
    port?: number
    cause?: unknown
  }) {
    super(CODES[o.reason], o.message, { cause: o.cause })
    this.reason = o.reason
    this.container = o.container
    this.host = o.host
    this.image = o.image
    this.port = o.port
  }

  /** True for a ContainerError from any copy of @ferry/ec2. */
  static override is(value: unknown): value is ContainerError {
    return (
      FerryError.is(value) &&
      Object.values(CODES).some((code) => isFerryError(value, code)) &&
      'reason' in value &&
      'container' in value
    )
  }
}
