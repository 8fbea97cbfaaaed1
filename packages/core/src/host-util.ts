// Small helpers for the SSH host: line splitting and error mapping (scrubbing is scrub.ts).
import { ConnectionError, FerryError } from './errors.js'

/** Splits a byte stream into complete lines, keeping the partial tail for the next chunk. */
export class LineSplitter {
  #tail = ''
  push(chunk: Buffer): string[] {
    const parts = (this.#tail + chunk.toString()).split('\n')
    this.#tail = parts.pop() ?? ''
    return parts.map((l) => l.replace(/\r$/, ''))
  }
  flush(): string[] {
    const rest = this.#tail
    this.#tail = ''
    return rest ? [rest] : []
  }
}

const TRANSIENT =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|Timed out while waiting for handshake|Connection lost before handshake|No response from server|socket hang up|Not connected/i

/** Maps a connect or channel failure to a ConnectionError; authentication failures are final. */
export function connectionError(
  error: unknown,
  where: { host: string; port: number; name: string },
): FerryError {
  if (FerryError.is(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  const code = (error as { code?: string } | null)?.code ?? ''
  const auth = /authentication methods failed/i.test(message)
  return new ConnectionError({
    host: where.host,
    port: where.port,
    retryable: !auth && (TRANSIENT.test(message) || TRANSIENT.test(code)),
    message: auth
      ? `SSH authentication to ${where.name} failed: check the user name and that the key pair's public key is installed.`
      : `Cannot reach ${where.name} over SSH: ${message}`,
    cause: error,
  })
}
