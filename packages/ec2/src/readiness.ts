// The readiness ladder of a new server, one rung at a time with progress events:
// running → status checks ok → SSH answers (host key pinned) → cloud-init finished.
import {
  cmd,
  FerryError,
  fingerprint,
  isAwsCode,
  parsePublicKey,
  TimeoutError,
  type HostKeyPolicy,
  type ResolveHost,
  type SshTarget,
  sshTargetOf,
  waitFor,
} from '@ferry/core'
import { parseConsoleHostKeys, type ConsoleHostKey } from './host-keys.js'
import { scanHostKey } from './keyscan.js'
import { ec2Call, type Ec2Context } from './sdk.js'
import type { WebServer } from './web-server.js'

/** How far a launch waits: each level includes the ones before it. */
export type ReadyLevel = 'running' | 'status-ok' | 'ssh' | 'cloud-init'

/**
 * The order of the ladder's rungs.
 * @example
 * READY_LEVELS.indexOf('ssh') // 2
 */
export const READY_LEVELS: readonly ReadyLevel[] = ['running', 'status-ok', 'ssh', 'cloud-init']

/**
 * How the server's SSH host key is verified:
 * - `'console'` (default): pinned from the instance's console output (cloud-init prints the
 *   keys at first boot); fails if they do not appear within `hostKeyWaitTime`.
 * - `'trust-on-first-use'`: the console keys when present, else the key presented at the first
 *   connection is accepted and pinned, with a warning event.
 * - a policy (`{ fingerprint }`, `{ publicKey }`, `{ knownHosts }`): pinned as given.
 */
export type HostKeyMode = 'console' | 'trust-on-first-use' | HostKeyPolicy

/** Options of the SSH rungs. */
export interface ReachOptions {
  hostKey: HostKeyMode
  /** How long to poll the console output for host keys; default 5 minutes. */
  hostKeyWaitTime?: number
  resolveHost?: ResolveHost
  /**
   * Read the presented host key first (for the fingerprint report). False in a pipeline
   * without the step's own resolveHost: the run's is not visible to steps, and the pinned
   * policy is verified when the pooled host connects.
   */
  scan?: boolean
  step: string
}

/**
 * Pins the host key, reads the key the server presents, and opens SSH (with core's retry).
 * Mutates `server.ssh.hostKey` and `server.hostKeyFingerprint`.
 * @example
 * await reachServer(ctx, server, { hostKey: 'console', step: 'launch' })
 */
export async function reachServer(
  ctx: Ec2Context,
  server: WebServer,
  o: ReachOptions,
): Promise<void> {
  const mode = o.hostKey
  if (typeof mode === 'object') server.ssh.hostKey = mode
  else {
    const keys = await consoleHostKeys(
      ctx,
      server.instanceId,
      mode === 'console' ? (o.hostKeyWaitTime ?? 300_000) : 0,
    )
    if (keys.length > 0) server.ssh.hostKey = { publicKey: keys.map((k) => k.publicKey) }
    else if (mode === 'console')
      throw noConsoleKeys(server.instanceId, o.hostKeyWaitTime ?? 300_000)
    else server.ssh.hostKey = { acceptAny: true }
  }
  const tofu = 'acceptAny' in server.ssh.hostKey
  if (tofu || o.scan !== false) {
    const target: SshTarget = o.resolveHost ? await o.resolveHost(server) : sshTargetOf(server)
    const scanned = await scanHostKey(target, {
      signal: ctx.signal,
      clock: ctx.clock,
      onEvent: ctx.emit,
    })
    server.hostKeyFingerprint = scanned.fingerprint
    if (tofu) {
      server.ssh.hostKey = { fingerprint: scanned.fingerprint }
      ctx.emit({
        type: 'warning',
        message: `Trusting the SSH host key of ${server.name} on first use (${scanned.fingerprint}): its console output showed no host keys to verify it against.`,
      })
    }
  } else {
    const pinned = pinnedFingerprint(server.ssh.hostKey)
    if (pinned) server.hostKeyFingerprint = pinned
  }
  await server.host.run(cmd('true'), { quiet: true, signal: ctx.signal })
  progress(ctx, {
    step: o.step,
    server,
    message: `SSH answers (host key ${server.hostKeyFingerprint ?? 'pinned'})`,
  })
}

/**
 * Waits for cloud-init to finish where the host has it; where it does not (the lab), says so.
 * @example
 * await waitCloudInit(ctx, server, { step: 'launch', timeout: 900_000 })
 */
export async function waitCloudInit(
  ctx: Ec2Context,
  server: WebServer,
  o: { step: string; timeout?: number },
): Promise<void> {
  const has = await server.host.run(cmd('sh', '-c', 'command -v cloud-init'), {
    check: false,
    quiet: true,
  })
  if (has.exitCode !== 0) {
    ctx.emit({ type: 'info', message: `${server.name} has no cloud-init: not waiting for it.` })
    return
  }
  const timeout = o.timeout ?? 900_000
  const result = await server.host.run(cmd('cloud-init', 'status', '--wait'), {
    check: false,
    quiet: true,
    timeout,
    signal: ctx.signal,
  })
  // 0: done; 2: done with recoverable errors (cloud-init ≥ 23.4); anything else failed.
  if (result.exitCode === 2)
    ctx.emit({
      type: 'warning',
      message: `cloud-init on ${server.name} finished with recoverable errors: ${result.stdout.trim()}`,
    })
  else if (result.exitCode !== 0)
    throw new FerryError(
      'PRECONDITION',
      `cloud-init on ${server.name} failed (${result.stdout.trim() || `exit ${result.exitCode}`}): the user data did not complete. See /var/log/cloud-init-output.log on the server.`,
    )
  progress(ctx, { step: o.step, server, message: 'cloud-init finished' })
}

/**
 * The SSH host keys in an instance's console output, polling up to `maxWaitTime` (0: once).
 * @example
 * const keys = await consoleHostKeys(ctx, 'i-0123456789abcdef0', 300_000)
 */
export async function consoleHostKeys(
  ctx: Ec2Context,
  instanceId: string,
  maxWaitTime: number,
): Promise<ConsoleHostKey[]> {
  const read = async () => {
    // Latest: the buffered output is posted only around state transitions and can miss the
    // first boot's keys for minutes; the latest output (Nitro instances) has them at once.
    const out = await ec2Call(ctx, 'GetConsoleOutput', (s, ec2) =>
      ec2.send(new s.GetConsoleOutputCommand({ InstanceId: instanceId, Latest: true })),
    ).catch((error: unknown) => {
      // Xen instance types have no latest output: read the buffered one.
      if (!isAwsCode(error, 'UnsupportedOperation')) throw error
      return ec2Call(ctx, 'GetConsoleOutput', (s, ec2) =>
        ec2.send(new s.GetConsoleOutputCommand({ InstanceId: instanceId })),
      )
    })
    return parseConsoleHostKeys(Buffer.from(out.Output ?? '', 'base64').toString('utf8'))
  }
  if (maxWaitTime <= 0) return read()
  try {
    return await waitFor(
      async () => {
        const keys = await read()
        return keys.length > 0
          ? { done: true, value: keys }
          : { done: false, state: 'no host keys in the console output yet' }
      },
      {
        what: `SSH host keys in the console output of ${instanceId}`,
        maxWaitTime,
        backoff: { minDelayMs: 1000, maxDelayMs: 10_000 },
        signal: ctx.signal,
        onEvent: ctx.emit,
        clock: ctx.clock,
      },
    )
  } catch (error) {
    if (TimeoutError.is(error)) return []
    throw error
  }
}

/**
 * Emits one rung of the ladder as step progress.
 * @example
 * progress(ctx, { step: 'launch', server, message: 'status checks ok' })
 */
export function progress(
  ctx: Ec2Context,
  o: { step: string; server: { name: string }; message: string },
): void {
  ctx.emit({
    type: 'step:progress',
    step: o.step,
    host: o.server.name,
    message: `${o.server.name}: ${o.message}`,
  })
}

function noConsoleKeys(instanceId: string, waitedMs: number): FerryError {
  return new FerryError(
    'PRECONDITION',
    `The console output of ${instanceId} showed no SSH host keys within ${Math.round(waitedMs / 1000)} s, so the host key cannot be verified. Raise hostKeyWaitTime, pin the key yourself (hostKey: { fingerprint } or { publicKey }), or accept it on first use with hostKey: 'trust-on-first-use'.`,
  )
}

/** The one fingerprint a policy pins, if it pins exactly one key. */
function pinnedFingerprint(policy: HostKeyPolicy): string | undefined {
  if ('fingerprint' in policy) {
    const list = [policy.fingerprint].flat()
    return list.length === 1 ? list[0] : undefined
  }
  if ('publicKey' in policy) {
    const list = [policy.publicKey].flat()
    return list.length === 1 ? fingerprint(parsePublicKey(list[0]!).blob) : undefined
  }
  return undefined
}
