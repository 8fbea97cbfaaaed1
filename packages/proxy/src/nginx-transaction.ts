// An nginx change as ONE remote script: upload and check the new files (core's staging), copy
// the files it will touch, swap the new ones in, `nginx -t`, reload and wait until new workers
// serve, drop the copies. When the test or the reload fails, the copies are renamed back (and,
// after a reload that may have applied, reloaded), so nginx serves what it served before. A dropped
// connection does not stop it half-way: it ignores SIGHUP/SIGPIPE and ends committed or restored.
import { randomBytes } from 'node:crypto'
import { BATCH_FIELDS, cmd, fileBatch, STAGE_FUNCTIONS, type Arg, type Secret } from '@ferry/core'
import type { NginxSettings } from './nginx-options.js'
import { OUTCOME_LINES } from './txn-outcome.js'

/** One file of a change: new content, a symlink, or removal. */
export type FileChange =
  | { path: string; content: string | Secret; mode: number; owner?: string }
  | { path: string; linkTo: string }
  | { path: string; remove: true }

// Exit codes of the transaction, e.g. `r.exitCode === TXN_TEST_FAILED`.
/** The upload failed its size or checksum check (or could not be staged): nothing changed. */
export const TXN_UPLOAD_FAILED = 70
/** The files could not be copied or swapped in; the copies were put back. */
export const TXN_WRITE_FAILED = 71
/** `nginx -t` refused the new files; the copies were put back. */
export const TXN_TEST_FAILED = 72
/**
 * The reload failed (or nginx kept its old workers); the copies were put back and reloaded, and
 * stdout says what nginx serves: `ferry-served=previous` or `ferry-served=unknown`.
 */
export const TXN_RELOAD_FAILED = 73

// `nginx -s reload` only signals the master: it returns before new workers serve the new config.
// ferry_reload runs the reload, then waits until the master has a new worker and every old one
// is gone or shutting down, so "reloaded" means "serving" (the master itself waits ~100 ms before
// it tells the old workers to stop). A master that keeps its old workers did not take the config
// (exit 75); without a pid file the reload is run but cannot be checked.
// bash builtins and /proc only while polling (a `ps` per poll costs more than the wait itself
// on a busy host); `ps` where the kernel has no /proc/<pid>/task/<pid>/children.
const RELOAD_FUNCTION = [
  'ferry_children() {',
  '  if [ -r "/proc/$1/task/$1/children" ]; then read -r -a kids < "/proc/$1/task/$1/children" || true',
  '  else kids=($(ps -o pid= --ppid "$1")); fi',
  '}',
  'ferry_master() {',
  '  master=; read -r master < "$1" 2>/dev/null || true',
  '  case $master in ""|*[!0-9]*) master= ;; esac',
  '  [ -n "$master" ] && kill -0 "$master" 2>/dev/null || master=',
  '}',
  // 0 once $master has a worker not in $before and none of $before still serves; 75 after 10 s.
  'ferry_new_generation() {',
  '  for ((i = 0; i < 1000; i++)); do',
  '    kill -0 "$master" 2>/dev/null || return 0',
  '    ferry_children "$master"; fresh=0; stale=0',
  '    for p in "${kids[@]}"; do',
  '      case "$before" in',
  '        *" $p "*) title=; read -r -d "" title < "/proc/$p/cmdline" 2>/dev/null',
  '          case $title in ""|*"shutting down"*) ;; *) stale=1 ;; esac ;;',
  '        *) fresh=1 ;;',
  '      esac',
  '    done',
  '    [ $fresh = 1 ] && [ $stale = 0 ] && return 0',
  '    sleep 0.01',
  '  done',
  '  return 75',
  '}',
  'ferry_reload() {',
  '  pidfile=$1; shift',
  '  ferry_master "$pidfile"',
  '  before=" "; if [ -n "$master" ]; then ferry_children "$master"; before=" ${kids[*]} "; fi',
  '  started=${EPOCHREALTIME/./}',
  '  "$@" || return $?',
  '  [ -n "$master" ] || { echo "ferry: reload not verified: no nginx master in $pidfile"; return 0; }',
  '  if ! ferry_new_generation; then',
  '    echo "ferry: nginx kept its old workers 10 s after the reload: the new configuration was not applied (see the nginx error log)" >&2',
  '    return 75',
  '  fi',
  // bash 5 has EPOCHREALTIME; older ones print nothing here.
  '  [ -z "$started" ] || echo "ferry-reload-us=$(( ${EPOCHREALTIME/./} - started ))"',
  // After a dropped session that echo fails (EPIPE): the reload still succeeded.
  '  return 0',
  '}',
  // After a failed reload and the restore: a reload may have applied the new files before it
  // failed, so reload the restored ones and say what nginx serves (previous or unknown).
  'ferry_reload_back() {',
  '  first=$before; first_master=$master',
  '  if ferry_reload "$@" >/dev/null 2>&1; then ferry_served previous; return; fi',
  '  ferry_master "$1"',
  '  if [ -n "$master" ] && [ "$master" = "$first_master" ]; then',
  '    ferry_children "$master"; changed=0',
  '    for p in "${kids[@]}"; do case "$first" in *" $p "*) ;; *) changed=1 ;; esac; done',
  // No worker newer than before the first reload: nginx never left the files it served.
  '    [ $changed = 0 ] && { ferry_served previous; return; }',
  // The reload back failed, yet new workers took over after it: they read the restored files.
  '    ferry_new_generation && { ferry_served previous; return; }',
  '  fi',
  '  ferry_served unknown',
  '}',
  'ferry_served() { SERVED=$1; echo "ferry-served=$1"; }',
].join('\n')

// Arguments: pidfile, the outcome directory and this change's id (see txn-outcome.ts), then counted lists (test argv, reload argv, link pairs, removals), then
// the staged files' fields; their bytes come on stdin. Backups are named after $FERRY_ID.
const TRANSACTION = [
  STAGE_FUNCTIONS,
  RELOAD_FUNCTION,
  "trap '' HUP PIPE",
  'FERRY_ID=$$',
  'pidfile=$1; state=$2; txn=$3; shift 3',
  ...OUTCOME_LINES,
  'n=$1; shift; test_cmd=("${@:1:n}"); shift "$n"',
  'n=$1; shift; reload_cmd=("${@:1:n}"); shift "$n"',
  'n=$1; shift; links=("${@:1:n}"); shift "$n"',
  'n=$1; shift; removals=("${@:1:n}"); shift "$n"',
  `paths=(); for ((k=1; k<=$#; k+=${BATCH_FIELDS})); do paths+=("\${!k}"); done`,
  'for ((k=0; k<${#links[@]}; k+=2)); do paths+=("${links[k+1]}"); done',
  'paths+=("${removals[@]}")',
  'backup() { printf \'%s/.%s.ferry-%s.old\' "${1%/*}" "${1##*/}" "$FERRY_ID"; }',
  'existed=()',
  'restore() {',
  '  rc=0',
  '  for k in "${!paths[@]}"; do',
  '    p=${paths[k]}',
  '    if [ "${existed[k]:-0}" = 1 ]; then mv -f -- "$(backup "$p")" "$p" || rc=1; else rm -f -- "$p" || rc=1; fi',
  '  done',
  '  ferry_unstage "$@"',
  '  RESTORED=$(( rc == 0 ))',
  '  [ $rc = 0 ] && echo ferry-restored=1 || echo ferry-restored=0',
  '  return $rc',
  '}',
  `ferry_stage "$@" || { ferry_unstage "$@"; exit ${TXN_UPLOAD_FAILED}; }`,
  'for p in "${paths[@]}"; do',
  '  if [ -e "$p" ] || [ -L "$p" ]; then',
  `    cp -P -p -- "$p" "$(backup "$p")" || { restore "$@"; exit ${TXN_WRITE_FAILED}; }`,
  '    existed+=(1)',
  '  else existed+=(0); fi',
  'done',
  'swap_in() {',
  '  ferry_commit "$@" || return 1',
  '  for ((k=0; k<${#links[@]}; k+=2)); do',
  '    p=${links[k+1]}; t="${p%/*}/.${p##*/}.ferry-$FERRY_ID.link"',
  '    ln -sfn -- "${links[k]}" "$t" && mv -Tf -- "$t" "$p" || return 1',
  '  done',
  '  [ ${#removals[@]} = 0 ] || rm -f -- "${removals[@]}"',
  '}',
  `swap_in "$@" || { restore "$@"; exit ${TXN_WRITE_FAILED}; }`,
  `out=$("\${test_cmd[@]}" 2>&1) || { echo "$out" >&2; restore "$@"; exit ${TXN_TEST_FAILED}; }`,
  'reload_failed() {',
  '  if restore "$@"; then ferry_reload_back "$pidfile" "${reload_cmd[@]}"; else ferry_served unknown; fi',
  `  exit ${TXN_RELOAD_FAILED}`,
  '}',
  `ferry_reload "$pidfile" "\${reload_cmd[@]}" || reload_failed "$@"`,
  'for k in "${!paths[@]}"; do [ "${existed[k]}" = 0 ] || rm -f -- "$(backup "${paths[k]}")"; done',
].join('\n')

/**
 * The one command that applies `changes` to nginx, the stdin it reads the new files from, and the
 * id under which it records its outcome in `nginx.stateDir`. Run it as root when `nginx.sudo`.
 * @example
 * const { argv, stdin } = transactionCommand([{ path, content: text, mode: 0o644 }], settings)
 * const r = await host.run(argv, { sudo: true, stdin, check: false })
 */
export function transactionCommand(
  changes: readonly FileChange[],
  nginx: NginxSettings,
  txn: string = randomBytes(8).toString('hex'),
): { argv: Arg[]; stdin: Buffer | Secret; txn: string } {
  const owner = nginx.sudo ? 'root:root' : undefined
  const batch = fileBatch(
    changes.flatMap((c) =>
      'content' in c
        ? [{ path: c.path, data: c.content, mode: c.mode, owner: c.owner ?? owner, mkdirs: true }]
        : [],
    ),
  )
  const links = changes.flatMap((c) => ('linkTo' in c ? [c.linkTo, c.path] : []))
  const removals = changes.flatMap((c) => ('remove' in c ? [c.path] : []))
  const counted = (list: readonly string[]) => [String(list.length), ...list]
  const argv = cmd(
    'bash',
    '-c',
    TRANSACTION,
    'ferry-nginx',
    nginx.pidPath,
    nginx.stateDir,
    txn,
    counted(nginx.testCommand),
    counted(nginx.reloadCommand),
    counted(links),
    counted(removals),
    batch.fields,
  )
  return { argv, stdin: batch.stdin, txn }
}
