// The one way ferry changes nginx: one remote transaction (see nginx-transaction.ts) that
// uploads the new files, swaps them in, tests, reloads, and puts the old files back when nginx
// refuses them. Its exit code says which phase failed and whether the old files are back; after
// a dropped session the same outcome is read back from the host (txn-outcome.ts).
import { CommandError, ConnectionError, type Clock, type EventSink, type Host } from '@ferry/core'
import { NginxError } from './errors.js'
import type { NginxSettings } from './nginx-options.js'
import {
  transactionCommand,
  TXN_RELOAD_FAILED,
  TXN_TEST_FAILED,
  TXN_UPLOAD_FAILED,
  TXN_WRITE_FAILED,
  type FileChange,
} from './nginx-transaction.js'
import { readTxnOutcome } from './txn-outcome.js'

export type { FileChange } from './nginx-transaction.js'

/**
 * Applies file changes to nginx transactionally; throws NginxError (with `restored`) when nginx
 * refuses them, a CommandError naming the files when they could not be uploaded or written.
 * When the SSH session drops mid-change, reconnects and reports what the host recorded:
 * committed (returns), restored (NginxError), never started or unknown (ConnectionError).
 * With `emit`, says how long the reload took until only new workers accepted (~100 ms of it is
 * nginx's own hand-over from old to new workers).
 * @example
 * await applyNginxChange(host, [{ path: configPath, content: text, mode: 0o644 }], { nginx })
 */
export async function applyNginxChange(
  host: Host,
  changes: readonly FileChange[],
  options: { nginx: NginxSettings; signal?: AbortSignal; emit?: EventSink; clock?: Clock },
): Promise<void> {
  const { nginx, signal } = options
  const paths = changes.map((c) => c.path)
  const { argv, stdin, txn } = transactionCommand(changes, nginx)
  let r: { exitCode: number | null; stdout: string; stderr: string }
  try {
    r = await host.run(argv, { sudo: nginx.sudo, stdin, check: false, quiet: true, signal })
  } catch (error) {
    // The session dropped: the change ran on (it ignores SIGHUP); read back how it ended.
    if (!ConnectionError.is(error) || error.code !== 'CONNECTION' || signal?.aborted) throw error
    r = await afterDrop(host, { txn, error, paths, ...options })
  }
  if (r.exitCode === 0) {
    const us = /ferry-reload-us=(\d+)/.exec(r.stdout)?.[1]
    if (us)
      options.emit?.({
        type: 'info',
        message: `nginx on ${host.name} serves the new configuration (reload ${Math.round(Number(us) / 1000)} ms)`,
      })
    return
  }
  const restored = r.stdout.includes('ferry-restored=1')
  const stderr = r.stderr.trim()
  switch (r.exitCode) {
    case TXN_TEST_FAILED:
      throw new NginxError({ host: host.name, phase: 'test', stderr, restored, paths })
    case TXN_RELOAD_FAILED: {
      // The transaction reloaded the restored files and says whether nginx was shown to serve them.
      const serving = r.stdout.includes('ferry-served=previous') ? 'previous' : 'unknown'
      throw new NginxError({ host: host.name, phase: 'reload', stderr, restored, serving, paths })
    }
    default:
      // The upload failed its checks (nothing changed), or a file could not be written.
      throw new CommandError({
        host: host.name,
        command: `write ${paths.join(', ')}${nginx.sudo ? ' (sudo)' : ''}`,
        exitCode: r.exitCode,
        stderr:
          r.exitCode === TXN_UPLOAD_FAILED || (r.exitCode === TXN_WRITE_FAILED && restored)
            ? `${stderr}\nThe previous files are untouched.`
            : stderr,
      })
  }
}

// After a dropped session: the outcome the host recorded, as if the command had returned it.
async function afterDrop(
  host: Host,
  o: {
    txn: string
    error: ConnectionError
    paths: string[]
    nginx: NginxSettings
    signal?: AbortSignal
    emit?: EventSink
    clock?: Clock
  },
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const { nginx } = o
  o.emit?.({
    type: 'warning',
    message: `The SSH session to ${host.name} dropped during the nginx change; reconnecting to read how it ended.`,
  })
  const outcome = await readTxnOutcome(host, {
    txn: o.txn,
    stateDir: nginx.stateDir,
    sudo: nginx.sudo,
    clock: o.clock,
    signal: o.signal,
  })
  if (outcome.kind === 'done') {
    if (outcome.exitCode === 0)
      o.emit?.({
        type: 'info',
        message: `the change on ${host.name} was committed before the session dropped`,
      })
    return { ...outcome, stderr: "(the session dropped: nginx's output was lost)" }
  }
  if (outcome.kind === 'not-started')
    throw new ConnectionError({
      host: o.error.host,
      port: o.error.port,
      message: `The SSH session to ${host.name} dropped before the nginx change started: nothing changed (${o.paths.join(', ')}). Retry.`,
      cause: o.error,
    })
  throw new ConnectionError({
    host: o.error.host,
    port: o.error.port,
    retryable: false,
    message: `The SSH session to ${host.name} dropped during the nginx change, and its outcome could not be read back (${outcome.why}): check ${o.paths.join(', ')} on the host.`,
    cause: o.error,
  })
}
