// Where an nginx transaction records its outcome, so a client whose SSH session dropped can
// reconnect and learn what the host holds instead of guessing: one small file per transaction,
// named by an id the client chose, in nginx.stateDir (beside nginx's config, as writable as it).
// The transaction writes `ferry-running=PID` first and its exit code and markers last.
import { cmd, ConnectionError, systemClock, type Clock, type Host } from '@ferry/core'

/**
 * Shell lines for the transaction (bash), after `$state` (the directory) and `$txn` are set.
 * Records "running", sweeps outcomes older than a day, and on EXIT writes `ferry-exit=…` with
 * `$RESTORED` and `$SERVED`.
 * @example
 * const script = ['state=$1; txn=$2; shift 2', ...OUTCOME_LINES, '…the change…'].join('\n')
 */
export const OUTCOME_LINES = [
  'RESTORED=-; SERVED=-',
  'if mkdir -p -m 700 -- "$state" 2>/dev/null; then',
  '  find "$state" -maxdepth 1 -type f -mmin +1440 -delete 2>/dev/null',
  '  printf "ferry-running=%s\\n" "$$" > "$state/$txn" 2>/dev/null',
  'fi',
  'ferry_done() {',
  '  [ -d "$state" ] || return 0',
  '  printf "ferry-exit=%s\\nferry-restored=%s\\nferry-served=%s\\n" "$1" "$RESTORED" "$SERVED" > "$state/$txn.tmp" 2>/dev/null &&',
  '    mv -f -- "$state/$txn.tmp" "$state/$txn"',
  '}',
  "trap 'ferry_done $?' EXIT",
]

// Reads (and removes) a finished outcome; else says whether the transaction still runs.
const READ_OUTCOME = [
  'state=$1; f=$1/$2',
  '[ -d "$state" ] || { echo ferry-outcome=no-record; exit 0; }',
  '[ -f "$f" ] || { echo ferry-outcome=absent; exit 0; }',
  'if grep -q \'^ferry-exit=\' "$f"; then cat -- "$f"; rm -f -- "$f"; exit 0; fi',
  'pid=$(sed -n \'s/^ferry-running=//p\' "$f")',
  'if [ -n "$pid" ] && { kill -0 "$pid" 2>/dev/null || [ -d "/proc/$pid" ]; }; then echo ferry-outcome=running; exit 0; fi',
  'rm -f -- "$f"; echo ferry-outcome=died',
].join('\n')

/** What the host says about a transaction after a dropped session. */
export type TxnOutcome =
  | { kind: 'done'; exitCode: number; stdout: string }
  | { kind: 'not-started' }
  | { kind: 'unknown'; why: string }

/**
 * Reconnects and reads a transaction's outcome, waiting while it still runs (its reload can take
 * seconds). No record 5 s after the drop means the command never started: nothing changed.
 * @example
 * const outcome = await readTxnOutcome(host, { txn, stateDir: nginx.stateDir, sudo: true })
 */
export async function readTxnOutcome(
  host: Host,
  o: {
    txn: string
    stateDir: string
    sudo: boolean
    maxWaitMs?: number
    clock?: Clock
    signal?: AbortSignal
  },
): Promise<TxnOutcome> {
  const clock = o.clock ?? systemClock
  const start = clock.now()
  let absentSince: number | undefined
  while (clock.now() - start < (o.maxWaitMs ?? 60_000)) {
    let out = ''
    try {
      const argv = cmd('sh', '-c', READ_OUTCOME, 'ferry-nginx-outcome', o.stateDir, o.txn)
      out = (await host.run(argv, { sudo: o.sudo, check: false, quiet: true, signal: o.signal }))
        .stdout
    } catch (error) {
      if (!ConnectionError.is(error) || error.code !== 'CONNECTION') throw error
    }
    const exit = /^ferry-exit=(\d+)$/m.exec(out)?.[1]
    if (exit !== undefined) return { kind: 'done', exitCode: Number(exit), stdout: out }
    if (out.includes('ferry-outcome=died'))
      return { kind: 'unknown', why: 'the change was killed before it finished' }
    if (out.includes('ferry-outcome=no-record'))
      return { kind: 'unknown', why: 'the host holds no record of ferry changes' }
    if (out.includes('ferry-outcome=absent')) {
      absentSince ??= clock.now()
      if (clock.now() - absentSince >= 5_000) return { kind: 'not-started' }
    } else absentSince = undefined
    await clock.sleep(250, o.signal)
  }
  return {
    kind: 'unknown',
    why: `it was still running ${Math.round((o.maxWaitMs ?? 60_000) / 1000)} s later`,
  }
}
