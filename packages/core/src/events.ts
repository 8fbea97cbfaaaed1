// Typed events: library code never prints; it hands these to an `onEvent` callback.

/** Everything ferry reports while it works. `step` is set when a pipeline step is running. */
export type FerryEvent =
  | { type: 'step:start'; step: string; runId?: string; host?: string }
  | { type: 'step:progress'; step: string; message: string; percent?: number; host?: string }
  | { type: 'step:done'; step: string; durationMs: number; skipped?: boolean; host?: string }
  | { type: 'step:fail'; step: string; error: Error; durationMs: number; host?: string }
  | { type: 'step:undo'; step: string; ok: boolean; message: string }
  | { type: 'remote:command'; host: string; command: string; step?: string }
  | { type: 'remote:stdout' | 'remote:stderr'; host: string; line: string; step?: string }
  | { type: 'ssh:connect'; host: string; attempt: number; step?: string }
  | {
      type: 'ssh:retry'
      host: string
      attempt: number
      delayMs: number
      reason: string
      step?: string
    }
  | {
      type: 'wait:progress'
      what: string
      attempt: number
      elapsedMs: number
      state?: string
      percent?: number
      step?: string
    }
  | { type: 'aws:call'; service: string; operation: string; step?: string }
  | { type: 'warning'; message: string; step?: string }
  | { type: 'info'; message: string; step?: string }

/** The type names of ferry events. */
export type FerryEventType = FerryEvent['type']

/** A callback that receives events. It must not throw; ferry ignores what it returns. */
export type EventSink = (event: FerryEvent) => void

/**
 * Wraps a sink so a throwing callback never breaks a deploy, and fills in `step` when known.
 * @example
 * const emit = createEmitter(options.onEvent, { step: 'launch' })
 * emit({ type: 'info', message: 'launching' })
 */
export function createEmitter(
  sink: EventSink | undefined,
  defaults: { step?: string } = {},
): EventSink {
  if (!sink) return () => {}
  return (event) => {
    try {
      sink(
        defaults.step && !('step' in event && event.step)
          ? { ...event, step: defaults.step }
          : event,
      )
    } catch {
      // A reporter's bug must not fail the deploy it reports on.
    }
  }
}
