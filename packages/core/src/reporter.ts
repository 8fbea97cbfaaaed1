// A terminal reporter for ferry events: an ora spinner per running step in a TTY, plain lines
// otherwise (CI logs, pipes). A separate entry point, so importing @ferry/core loads no ora.
import ora, { type Ora } from 'ora'
import pc from 'picocolors'
import type { EventSink, FerryEvent } from './events.js'

/** Options of the terminal reporter. */
export interface ReporterOptions {
  /** Where to write; default process.stderr. */
  stream?: NodeJS.WriteStream
  /** Also print remote commands and their output lines. */
  verbose?: boolean
  /** Force the spinner on or off; default: on in a TTY outside CI. */
  interactive?: boolean
}

/**
 * An `onEvent` callback that prints progress: a spinner per step in a terminal, plain lines elsewhere.
 * @example
 * await pipeline(opts).use(launchWebServerStep(input)).run({ onEvent: createReporter() })
 */
export function createReporter(options: ReporterOptions = {}): EventSink {
  const stream = options.stream ?? process.stderr
  const interactive = options.interactive ?? (Boolean(stream.isTTY) && !process.env.CI)
  const spinners = new Map<string, Ora>()
  const line = (text: string) => {
    const active = [...spinners.values()]
    active.forEach((s) => s.clear())
    stream.write(`${text}\n`)
    active.forEach((s) => s.render())
  }
  return (event: FerryEvent) => {
    const text = describeEvent(event, options.verbose ?? false)
    if (!interactive) {
      if (text) line(text)
      return
    }
    switch (event.type) {
      case 'step:start':
        spinners.set(
          event.step,
          ora({ text: event.step, stream, discardStdin: false, isEnabled: true }).start(),
        )
        return
      case 'step:progress':
      case 'wait:progress': {
        const spinner = event.step ? spinners.get(event.step) : undefined
        if (spinner && text) spinner.text = text
        else if (text) line(text)
        return
      }
      case 'step:done':
      case 'step:fail': {
        const spinner = spinners.get(event.step)
        spinners.delete(event.step)
        if (!spinner) return line(text ?? '')
        if (event.type === 'step:done') spinner.succeed(text ?? event.step)
        else spinner.fail(text ?? event.step)
        return
      }
      default:
        if (text) line(text)
    }
  }
}

/**
 * One line for an event, or undefined for events shown only in verbose mode.
 * @example
 * describeEvent({ type: 'info', message: 'hello', step: 'launch' }) // a line for a log
 */
export function describeEvent(event: FerryEvent, verbose = false): string | undefined {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  switch (event.type) {
    case 'step:start':
      return `${pc.cyan('›')} ${event.step}${event.host ? ` on ${event.host}` : ''}`
    case 'step:progress':
      return `  ${event.step}: ${event.message}${event.percent === undefined ? '' : ` (${event.percent}%)`}`
    case 'step:done':
      return `${pc.green('✓')} ${event.step} ${pc.dim(event.skipped ? '(done in an earlier attempt)' : seconds(event.durationMs))}`
    case 'step:fail':
      return `${pc.red('✗')} ${event.step} ${pc.dim(seconds(event.durationMs))}: ${event.error.message}`
    case 'step:undo':
      return `${event.ok ? pc.yellow('↶') : pc.red('✗')} undo ${event.step}: ${event.message}`
    case 'wait:progress':
      return `  waiting for ${event.what}${event.state ? `: ${event.state}` : ''}${event.percent === undefined ? '' : ` ${event.percent}%`} ${pc.dim(seconds(event.elapsedMs))}`
    case 'ssh:retry':
      return `  ${event.host}: SSH not answering yet (attempt ${event.attempt}), retrying in ${seconds(event.delayMs)}`
    case 'warning':
      return `${pc.yellow('!')} ${event.message}`
    case 'info':
      return `  ${event.message}`
    case 'remote:command':
      return verbose ? pc.dim(`  $ ${event.command}`) : undefined
    case 'remote:stdout':
    case 'remote:stderr':
      return verbose ? pc.dim(`  ${event.host}| ${event.line}`) : undefined
    case 'ssh:connect':
    case 'aws:call':
      return undefined
  }
}
