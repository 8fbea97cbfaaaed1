import { execFile } from 'node:child_process'
import { appendFileSync } from 'node:fs'

/** Options for {@link runCommand}. */
export interface RunOptions {
  env?: NodeJS.ProcessEnv
  /** Append the command line and its output to this file. */
  log?: string
  timeoutMs?: number
  /** Data for stdin. */
  input?: string
}

/** What a finished command printed. */
export interface RunResult {
  stdout: string
  stderr: string
}

/**
 * Runs a command to completion (no shell) and rejects with its stderr when it exits non-zero.
 *
 * @example
 * const { stdout } = await runCommand('ssh-keygen', ['-lf', keyPath])
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (options.log) {
          const line = `$ ${[command, ...args].join(' ')}\n${stdout}${stderr}`
          appendFileSync(options.log, line.endsWith('\n') ? line : `${line}\n`)
        }
        if (error) {
          const detail = stderr.trim() || stdout.trim() || error.message
          reject(new Error(`${command} ${args.join(' ')} failed: ${detail}`, { cause: error }))
        } else resolve({ stdout, stderr })
      },
    )
    if (options.input !== undefined) child.stdin?.end(options.input)
  })
}
