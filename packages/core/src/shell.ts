// Commands are argv arrays of strings, numbers and Secrets; one function quotes them for sh.
import { ValidationError } from './errors.js'
import { REDACTED, Secret } from './secret.js'

/** One argument of a command. Secrets render redacted except on the wire. */
export type Arg = string | number | Secret

/** A command as an argv array. */
export type Command = readonly Arg[]

/**
 * Builds an argv array, dropping `false`, `null` and `undefined` so flags can be conditional.
 * @example
 * cmd('docker', 'run', '-d', detach && '--rm', '--name', name) // ['docker','run','-d','--name','web']
 */
export function cmd(...parts: (Arg | readonly Arg[] | false | null | undefined)[]): Arg[] {
  const out: Arg[] = []
  for (const part of parts) {
    if (part === false || part === null || part === undefined) continue
    if (Array.isArray(part)) out.push(...(part as readonly Arg[]))
    else out.push(part as Arg)
  }
  return out
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/

/**
 * Quotes one string for POSIX sh: the shell passes it through unchanged, whatever it holds.
 * @example
 * quote("it's") // 'it'\''s'
 */
export function quote(value: string): string {
  if (value.includes('\0')) {
    throw new ValidationError({
      field: 'shell argument',
      value: value.replaceAll('\0', '\\0'),
      allowed: 'text without NUL bytes (sh cannot pass them)',
    })
  }
  if (value !== '' && SAFE.test(value)) return value
  return `'${value.replaceAll("'", `'\\''`)}'`
}

/**
 * Renders a command as one sh command line. Secrets show as [REDACTED] unless `reveal` is set,
 * which only the SSH executor does when it sends the line.
 * @example
 * render(cmd('echo', new Secret('x'))) // "echo '[REDACTED]'"
 */
export function render(command: Command, options: { reveal?: boolean } = {}): string {
  return command.map((arg) => quote(argText(arg, options.reveal ?? false))).join(' ')
}

function argText(arg: Arg, revealSecrets: boolean): string {
  if (Secret.is(arg)) return revealSecrets ? arg.reveal() : REDACTED
  if (typeof arg === 'number') {
    if (!Number.isFinite(arg))
      throw new ValidationError({ field: 'shell argument', value: arg, allowed: 'a finite number' })
    return String(arg)
  }
  return arg
}

/**
 * `KEY=value` as one argument, a Secret when the value is one.
 * @example
 * cmd('env', envPair('TOKEN', new Secret('t')), 'app') // env TOKEN=[REDACTED] app
 */
export function envPair(key: string, value: string | Secret): Arg {
  return Secret.is(value) ? new Secret(`${key}=${value.reveal()}`) : `${key}=${value}`
}

/**
 * Prefixes a command with `sudo -n --`, so a missing sudo rule fails instead of prompting.
 * @example
 * sudo(cmd('nginx', '-t')) // ['sudo','-n','--','nginx','-t']
 */
export function sudo(command: Command): Arg[] {
  return ['sudo', '-n', '--', ...command]
}

/**
 * How a command shows in events and errors: as `render` does, except that a shell script run as
 * `sh|bash -c SCRIPT NAME ARGS…` shows as `NAME ARGS…` — ferry's scripts are constant text and
 * their name (ferry-run, ferry-nginx, …) says which; a page of shell in every log line does not.
 * @example
 * describeCommand(cmd('sudo', '-n', '--', 'bash', '-c', script, 'ferry-run', 'docker', 'api')) // 'sudo -n -- ferry-run docker api'
 */
export function describeCommand(command: Command): string {
  const start = command[0] === 'sudo' && command[1] === '-n' && command[2] === '--' ? 3 : 0
  const [shell, flag, , name] = command.slice(start)
  const script =
    (shell === 'sh' || shell === 'bash') &&
    flag === '-c' &&
    typeof name === 'string' &&
    /^[A-Za-z0-9._-]+$/.test(name)
  return render(script ? [...command.slice(0, start), ...command.slice(start + 3)] : command)
}
