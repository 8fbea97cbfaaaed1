// Reads the host key a server presents, without logging in: the handshake stops at host-key
// verification. Used to report the fingerprint and, only when asked, to trust on first use.
import { Client } from 'ssh2'
import {
  ConnectionError,
  fingerprint,
  retry,
  systemClock,
  type Clock,
  type SshTarget,
} from '@ferry/core'
import type { EventSink } from '@ferry/core'

/** The key a server presented. */
export interface ScannedHostKey {
  blob: Buffer
  fingerprint: string
}

/**
 * Connects until the server presents its host key (retrying while sshd does not answer yet),
 * then hangs up before authenticating.
 * @example
 * const { fingerprint } = await scanHostKey({ host: '203.0.113.7', port: 22 })
 */
export async function scanHostKey(
  target: Pick<SshTarget, 'host' | 'port'> & { username?: string },
  options: {
    attempts?: number
    readyTimeout?: number
    signal?: AbortSignal
    clock?: Clock
    onEvent?: EventSink
  } = {},
): Promise<ScannedHostKey> {
  const port = target.port ?? 22
  return retry(
    () =>
      scanOnce(
        { host: target.host, port, username: target.username ?? 'ferry' },
        options.readyTimeout ?? 15_000,
      ),
    {
      attempts: options.attempts ?? 20,
      minDelayMs: 1000,
      maxDelayMs: 10_000,
      factor: 1.6,
      jitter: true,
    },
    {
      signal: options.signal,
      clock: options.clock ?? systemClock,
      onRetry: (error, attempt, delayMs) =>
        options.onEvent?.({
          type: 'ssh:retry',
          host: `${target.host}:${port}`,
          attempt,
          delayMs,
          reason: error instanceof Error ? error.message : String(error),
        }),
    },
  )
}

function scanOnce(
  to: { host: string; port: number; username: string },
  readyTimeout: number,
): Promise<ScannedHostKey> {
  const { host, port } = to
  return new Promise((resolve, reject) => {
    const client = new Client()
    let key: Buffer | undefined
    // Whatever ends the handshake first: the key was seen (resolve) or it was not (reject).
    const done = (why: string, cause?: Error) => {
      client.removeAllListeners()
      client.on('error', () => undefined)
      client.end()
      if (key) return resolve({ blob: key, fingerprint: fingerprint(key) })
      reject(new ConnectionError({ host, port, retryable: true, message: why, cause }))
    }
    client.on('error', (error: Error) =>
      done(`Cannot read the SSH host key of ${host}:${port}: ${error.message}`, error),
    )
    client.on('close', () =>
      done(`${host}:${port} closed the connection before presenting a host key.`),
    )
    client.connect({
      host,
      port,
      // ssh2 wants a user name; it is never sent, the handshake ends before authentication.
      username: to.username,
      readyTimeout,
      // Refusing the key ends the handshake: nothing is sent that identifies the client.
      hostVerifier: (blob: Buffer) => {
        key = Buffer.from(blob)
        return false
      },
    })
  })
}
