// A server reached over SSH: one connection per host, reused and re-opened when dropped;
// commands are argv arrays quoted once; output streams as events; files are written atomically.
import { readFile } from 'node:fs/promises'
import type { NodeSSH } from 'node-ssh'
import type { ClientChannel } from 'ssh2'
import { CommandError, ConnectionError, TimeoutError, type FerryError } from './errors.js'
import { createEmitter, type EventSink } from './events.js'
import { fingerprint, verifyHostKey, type HostKeyPolicy } from './host-key.js'
import {
  remotePath,
  writeFileCommand,
  writeFilesCommand,
  type BatchFile,
  type WriteFileOptions,
} from './remote-file.js'
import { reveal, Secret } from './secret.js'
import { cmd, describeCommand, render, sudo as withSudo, type Arg, type Command } from './shell.js'
import { aborted, retry, systemClock, type Clock, type RetryPolicy } from './wait.js'
import { connectionError, LineSplitter } from './host-util.js'
import { scrub } from './scrub.js'

/** Where and how to reach a host over SSH. */
export interface SshTarget {
  host: string
  port?: number
  username: string
  /** The private key text (PEM or OpenSSH). */
  privateKey: string | Secret
  passphrase?: Secret
  /** How the server's key is verified. Required: pass `{ acceptAny: true }` to opt out. */
  hostKey: HostKeyPolicy
  /** A label for events and errors; default `user@host:port`. */
  name?: string
}

/** Options for running a command on a host. */
export interface RunOptions {
  sudo?: boolean
  stdin?: string | Buffer | Secret
  signal?: AbortSignal
  /** Kill the command after this many milliseconds. */
  timeout?: number
  /** Throw a CommandError on a non-zero exit (default true). */
  check?: boolean
  /** Do not stream output lines as events (for large or binary output). */
  quiet?: boolean
  /** Where this command's events go instead of the host's own sink (a step's, with its name). */
  onEvent?: EventSink
}

/** What a finished command returned. */
export interface RunResult {
  exitCode: number
  stdout: string
  stderr: string
  stdoutBuffer: Buffer
}

/** A server ferry works on. `SshHost` is the real one. */
export interface Host {
  readonly name: string
  run(command: Command, options?: RunOptions): Promise<RunResult>
  writeFile(
    path: string,
    data: string | Buffer | Secret,
    options?: WriteFileOptions & { signal?: AbortSignal; onEvent?: EventSink },
  ): Promise<void>
  /** Writes several files in one command: all are uploaded and checked before any is replaced. */
  writeFiles(
    files: readonly BatchFile[],
    options?: { sudo?: boolean; signal?: AbortSignal; onEvent?: EventSink },
  ): Promise<void>
  readFile(path: string, options?: { sudo?: boolean }): Promise<Buffer>
  exists(path: string, options?: { sudo?: boolean }): Promise<boolean>
  close(): Promise<void>
}

/** Options for an SSH host. */
export interface SshHostOptions {
  onEvent?: EventSink
  /** Retry policy for connecting (a fresh instance's sshd may not answer yet). */
  connectRetry?: Partial<RetryPolicy>
  /** Handshake timeout per attempt, ms. Default 20 s. */
  readyTimeout?: number
  clock?: Clock
}

/**
 * Connect retries: ~20 attempts from 0.5 s growing to 10 s, about 2–3 minutes in all.
 * @example
 * createSshHost(target, { connectRetry: { ...defaultConnectRetry, attempts: 5 } })
 */
export const defaultConnectRetry: RetryPolicy = {
  attempts: 20,
  minDelayMs: 500,
  maxDelayMs: 10_000,
  factor: 1.6,
  jitter: true,
}

/**
 * Creates a host reached over SSH; it connects on first use.
 * @example
 * const host = createSshHost({ host: ip, username: 'ec2-user', privateKey, hostKey: { fingerprint } })
 * await host.run(cmd('uname', '-a'))
 * await host.writeFile('/etc/nginx/conf.d/app.conf', text, { sudo: true })
 */
export function createSshHost(target: SshTarget, options: SshHostOptions = {}): SshHost {
  return new SshHost(target, options)
}

/**
 * A host over SSH (node-ssh): see `createSshHost`.
 * @example
 * const host: SshHost = createSshHost(target)
 * await host.connect() // fail early when the server does not answer
 */
export class SshHost implements Host {
  readonly name: string
  readonly #target: SshTarget
  readonly #options: SshHostOptions
  readonly #emit: EventSink
  #connection: Promise<NodeSSH> | undefined
  #current: NodeSSH | undefined

  constructor(target: SshTarget, options: SshHostOptions = {}) {
    this.#target = target
    this.#options = options
    this.#emit = createEmitter(options.onEvent)
    this.name = target.name ?? `${target.username}@${target.host}:${target.port ?? 22}`
  }

  /** Opens the connection now (it otherwise opens on first use). */
  async connect(signal?: AbortSignal): Promise<void> {
    await this.#ssh(signal)
  }

  async run(command: Command, options: RunOptions = {}): Promise<RunResult> {
    const argv = options.sudo ? withSudo(command) : [...command]
    const shown = describeCommand(argv)
    const secrets = argv.filter((a) => Secret.is(a)).map((s) => s.reveal())
    if (Secret.is(options.stdin)) secrets.push(options.stdin.reveal())
    const emit = options.onEvent ? createEmitter(options.onEvent) : this.#emit
    if (!options.quiet) emit({ type: 'remote:command', host: this.name, command: shown })
    const ssh = await this.#ssh(options.signal, emit)
    const result = await this.#exec(ssh, {
      line: render(argv, { reveal: true }),
      options,
      secrets,
      emit,
    })
    if (result.exitCode !== 0 && options.check !== false) {
      throw new CommandError({
        host: this.name,
        command: shown,
        exitCode: result.exitCode,
        stderr: result.stderr,
      })
    }
    return result
  }

  async writeFile(
    path: string,
    data: string | Buffer | Secret,
    options: WriteFileOptions & { signal?: AbortSignal; onEvent?: EventSink } = {},
  ): Promise<void> {
    if (options.atomic !== false) return this.writeFiles([{ ...options, path, data }], options)
    const bytes = Buffer.from(Secret.is(data) ? data.reveal() : data)
    const stdin = Secret.is(data) ? new Secret(bytes.toString()) : bytes
    await this.#write(writeFileCommand(path, bytes, options), { stdin, paths: [path], ...options })
  }

  async writeFiles(
    files: readonly BatchFile[],
    options: { sudo?: boolean; signal?: AbortSignal; onEvent?: EventSink } = {},
  ): Promise<void> {
    if (files.length === 0) return
    const { argv, stdin } = writeFilesCommand(files, options)
    await this.#write(argv, { stdin, paths: files.map((f) => f.path), ...options })
  }

  async #write(
    argv: Arg[],
    o: {
      stdin: Buffer | Secret
      paths: string[]
      sudo?: boolean
      signal?: AbortSignal
      onEvent?: EventSink
    },
  ): Promise<void> {
    try {
      await this.run(argv, { stdin: o.stdin, quiet: true, signal: o.signal, onEvent: o.onEvent })
    } catch (error) {
      // The command is a whole shell script; name what it did instead.
      if (!CommandError.is(error)) throw error
      throw new CommandError({
        host: error.host,
        command: `write ${o.paths.join(', ')}${o.sudo ? ' (sudo)' : ''}`,
        exitCode: error.exitCode,
        stderr: error.stderrTail,
        cause: error,
      })
    }
  }

  async readFile(path: string, options: { sudo?: boolean } = {}): Promise<Buffer> {
    const result = await this.run(cmd('cat', '--', remotePath(path)), {
      sudo: options.sudo,
      quiet: true,
    })
    return result.stdoutBuffer
  }

  async exists(path: string, options: { sudo?: boolean } = {}): Promise<boolean> {
    const result = await this.run(cmd('test', '-e', remotePath(path)), {
      sudo: options.sudo,
      quiet: true,
      check: false,
    })
    return result.exitCode === 0
  }

  async close(): Promise<void> {
    const pending = this.#connection
    this.#connection = undefined
    if (pending) (await pending.catch(() => undefined))?.dispose()
  }

  #ssh(signal?: AbortSignal, emit: EventSink = this.#emit): Promise<NodeSSH> {
    if (!this.#connection) {
      const attempt = this.#open(signal, emit)
      this.#connection = attempt
      attempt.catch(() => {
        if (this.#connection === attempt) this.#connection = undefined
      })
    }
    return this.#connection
  }

  async #open(signal: AbortSignal | undefined, emit: EventSink): Promise<NodeSSH> {
    const t = this.#target
    const port = t.port ?? 22
    const policy = { ...defaultConnectRetry, ...this.#options.connectRetry }
    const knownHostsText =
      'knownHosts' in t.hostKey
        ? await readFile(t.hostKey.knownHosts, 'utf8').catch(() => '')
        : undefined
    return retry(
      async (attempt) => {
        emit({ type: 'ssh:connect', host: this.name, attempt })
        let refused: { expected: string; got: string; reason: string } | undefined
        const ssh = new (await loadNodeSsh())()
        try {
          await ssh.connect({
            host: t.host,
            port,
            username: t.username,
            privateKey: reveal(t.privateKey),
            passphrase: t.passphrase?.reveal(),
            readyTimeout: this.#options.readyTimeout ?? 20_000,
            keepaliveInterval: 15_000,
            hostVerifier: (key: Buffer) => {
              const verdict = verifyHostKey(t.hostKey, key, { host: t.host, port, knownHostsText })
              if (!verdict.ok)
                refused = {
                  expected: verdict.expected,
                  got: fingerprint(key),
                  reason: verdict.reason,
                }
              return verdict.ok
            },
          })
        } catch (error) {
          ssh.dispose()
          if (refused) {
            const what =
              refused.reason === 'unknown-host'
                ? 'is not in known_hosts'
                : 'does not match the pinned key'
            throw new ConnectionError({
              host: t.host,
              port,
              code: 'HOST_KEY_MISMATCH',
              retryable: false,
              message: `SSH host key of ${this.name} (${refused.got}) ${what}; expected ${refused.expected}. Refusing to connect: the server may have been replaced or intercepted.`,
            })
          }
          throw connectionError(error, { host: t.host, port, name: this.name })
        }
        // A dropped connection is forgotten so the next call opens a new one.
        const forget = () => {
          if (this.#current === ssh) [this.#current, this.#connection] = [undefined, undefined]
        }
        ssh.connection?.setMaxListeners(0)
        // Every command is a few small request/reply packets; with Nagle's algorithm on, each
        // one waited for the peer's delayed ACK: ~90 ms per command instead of ~4 (bench/fleet).
        ssh.connection?.setNoDelay(true)
        ssh.connection?.on('close', forget).on('end', forget).on('error', forget)
        this.#current = ssh
        return ssh
      },
      policy,
      {
        signal,
        clock: this.#options.clock ?? systemClock,
        onRetry: (error, attempt, delayMs) =>
          emit({
            type: 'ssh:retry',
            host: this.name,
            attempt,
            delayMs,
            reason: error instanceof Error ? error.message : String(error),
          }),
      },
    )
  }

  #exec(
    ssh: NodeSSH,
    {
      line,
      options,
      secrets,
      emit,
    }: { line: string; options: RunOptions; secrets: string[]; emit: EventSink },
  ): Promise<RunResult> {
    const conn = ssh.connection
    if (!conn)
      return Promise.reject(
        new ConnectionError({
          host: this.#target.host,
          port: this.#target.port ?? 22,
          message: `Not connected to ${this.name}.`,
        }),
      )
    return new Promise<RunResult>((resolve, reject) => {
      conn.exec(line, (err, channel: ClientChannel) => {
        if (err)
          return reject(
            connectionError(err, {
              host: this.#target.host,
              port: this.#target.port ?? 22,
              name: this.name,
            }),
          )
        const out: Buffer[] = []
        const errOut: Buffer[] = []
        const lines = { stdout: new LineSplitter(), stderr: new LineSplitter() }
        const emitLines = (kind: 'stdout' | 'stderr', chunk: Buffer) => {
          if (options.quiet) return
          for (const text of lines[kind].push(chunk))
            emit({ type: `remote:${kind}`, host: this.name, line: scrub(text, secrets) })
        }
        let exitCode: number | null = null
        let settled = false
        const finish = (error?: FerryError) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          options.signal?.removeEventListener('abort', onAbort)
          conn.removeListener('close', onDrop)
          if (error) return reject(error)
          for (const kind of ['stdout', 'stderr'] as const)
            if (!options.quiet)
              for (const text of lines[kind].flush())
                emit({ type: `remote:${kind}`, host: this.name, line: scrub(text, secrets) })
          const stdoutBuffer = Buffer.concat(out)
          if (exitCode === null)
            return reject(
              new ConnectionError({
                host: this.#target.host,
                port: this.#target.port ?? 22,
                message: `The SSH channel to ${this.name} closed before the command finished.`,
              }),
            )
          resolve({
            exitCode,
            stdout: stdoutBuffer.toString(),
            stderr: scrub(Buffer.concat(errOut).toString(), secrets),
            stdoutBuffer,
          })
        }
        const stop = (error: FerryError) => {
          channel.signal('KILL')
          channel.close()
          finish(error)
        }
        const onAbort = () => stop(aborted(options.signal!))
        const onDrop = () =>
          finish(
            new ConnectionError({
              host: this.#target.host,
              port: this.#target.port ?? 22,
              message: `The SSH connection to ${this.name} dropped during a command; it will be re-opened on the next call.`,
            }),
          )
        const timer = options.timeout
          ? setTimeout(
              () =>
                stop(
                  new TimeoutError({
                    what: `a command on ${this.name}`,
                    waitedMs: options.timeout!,
                  }),
                ),
              options.timeout,
            )
          : undefined
        options.signal?.addEventListener('abort', onAbort, { once: true })
        if (options.signal?.aborted) return onAbort()
        conn.once('close', onDrop)
        channel.on('data', (chunk: Buffer) => (out.push(chunk), emitLines('stdout', chunk)))
        channel.stderr.on(
          'data',
          (chunk: Buffer) => (errOut.push(chunk), emitLines('stderr', chunk)),
        )
        channel.on('exit', (code: number | null) => (exitCode = code))
        channel.on('close', () => finish())
        channel.on('error', (e: Error) =>
          finish(
            connectionError(e, {
              host: this.#target.host,
              port: this.#target.port ?? 22,
              name: this.name,
            }),
          ),
        )
        const stdin =
          options.stdin === undefined
            ? undefined
            : Secret.is(options.stdin)
              ? options.stdin.reveal()
              : options.stdin
        channel.end(stdin)
      })
    })
  }
}

// node-ssh (and ssh2's crypto) load only when a host first connects, so importing core stays cheap.
let nodeSsh: Promise<typeof NodeSSH> | undefined
const loadNodeSsh = () => (nodeSsh ??= import('node-ssh').then((m) => m.NodeSSH))
