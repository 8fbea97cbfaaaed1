// Pure builders for file commands on a host. An atomic write streams the data to a temp file
// beside the target, checks its size and SHA-256, and only then renames it into place: a cut
// connection leaves the old file, never a partial one. Several files go in one command (one
// stdin, each file checked), and the staging shell functions are exported so a module's own
// transaction script (nginx: stage, back up, swap in, test, reload) can reuse them.
import { createHash } from 'node:crypto'
import { ValidationError } from './errors.js'
import { Secret } from './secret.js'
import { cmd, type Arg } from './shell.js'

/** Options for writing a file on a host. */
export interface WriteFileOptions {
  /** Octal mode such as `0o600` or `'600'`; default: keep the existing file's, else 644. */
  mode?: number | string
  /** `user` or `user:group`; default: keep the existing file's, else the writer's. */
  owner?: string
  /** Write through a temp file and rename (default true). */
  atomic?: boolean
  /** Run as root via `sudo -n`. */
  sudo?: boolean
  /** Create missing parent directories. */
  mkdirs?: boolean
}

const DIRECT_SCRIPT = [
  'set -e',
  'dst=$1; mode=$2; owner=$3; mkdirs=$4',
  '[ "$mkdirs" = 0 ] || mkdir -p -- "$(dirname -- "$dst")"',
  'cat > "$dst"',
  '[ -z "$mode" ] || chmod "$mode" "$dst"',
  '[ -z "$owner" ] || chown "$owner" "$dst"',
].join('\n')

/**
 * The command that writes `data` (sent on stdin) to `path`, atomically by default.
 * @example
 * writeFileCommand('/etc/nginx/conf.d/web.conf', text, { sudo: true, mode: 0o644 })
 */
export function writeFileCommand(
  path: string,
  data: Buffer,
  options: WriteFileOptions = {},
): Arg[] {
  if (options.atomic !== false) return writeFilesCommand([{ ...options, path, data }], options).argv
  const file = remotePath(path)
  const { mode, owner } = fileFields(options)
  const script = cmd(
    'sh',
    '-c',
    DIRECT_SCRIPT,
    'ferry-write',
    file,
    mode,
    owner,
    options.mkdirs ? '1' : '0',
  )
  return options.sudo ? cmd('sudo', '-n', '--', script) : script
}

/** One file of a batch: where, what, and how (see WriteFileOptions). */
export interface BatchFile extends Pick<WriteFileOptions, 'mode' | 'owner' | 'mkdirs'> {
  path: string
  data: string | Buffer | Secret
}

/**
 * Shell functions (POSIX sh) over a batch's fields (`"$@"`, {@link BATCH_FIELDS} per file), with
 * the files' bytes on stdin in order. `ferry_stage` writes each to a temp file beside its target
 * (umask 077), checks size and SHA-256 and applies mode and owner (or the existing file's),
 * removing stale temps of killed writers beside the same target first;
 * `ferry_commit` renames the temps into place; `ferry_unstage` removes them. Temps are named
 * with `$FERRY_ID` (set it first, e.g. `FERRY_ID=$$`).
 * @example
 * cmd('sh', '-c', `${STAGE_FUNCTIONS}\nFERRY_ID=$$\nferry_stage "$@" && ferry_commit "$@"`, 'x', ...batch.fields)
 */
export const STAGE_FUNCTIONS = [
  'ferry_temp() { printf \'%s/.%s.ferry-%s\' "${1%/*}" "${1##*/}" "$FERRY_ID"; }',
  // Temps of writers killed outright (kill -9, a crash) beside the same target: removed when
  // their pid runs no more, or when untouched for an hour (the pid was reused: a writer renames
  // its temp seconds after its last byte). A live writer's temp, backups (.old) stay.
  'ferry_sweep() {',
  '  for old in "${1%/*}"/."${1##*/}".ferry-*; do',
  '    pid=${old##*.ferry-}',
  '    case $pid in ""|*[!0-9]*) continue ;; esac',
  '    [ "$pid" != "$FERRY_ID" ] && [ -f "$old" ] || continue',
  '    if kill -0 "$pid" 2>/dev/null || [ -d "/proc/$pid" ]; then',
  '      [ -n "$(find "$old" -maxdepth 0 -mmin +60 2>/dev/null)" ] || continue',
  '    fi',
  '    rm -f -- "$old"',
  '  done',
  '}',
  'ferry_stage() {',
  '  while [ $# -ge 6 ]; do',
  '    dst=$1; sum=$2; size=$3; mode=$4; owner=$5; mkdirs=$6; shift 6',
  '    tmp=$(ferry_temp "$dst")',
  '    if [ "$mkdirs" = 1 ] && [ ! -d "${dst%/*}/" ]; then mkdir -p -- "${dst%/*}/" || return 75; fi',
  '    ferry_sweep "$dst" || true',
  // head -c reads exactly what it needs from a pipe (GNU); a short or long read fails the check.
  '    (umask 077; head -c "$size" > "$tmp") || return 75',
  // The checksum covers the size too; the size is read only to say which went wrong.
  '    if ! echo "$sum  $tmp" | sha256sum -c --status; then',
  '      got=$(wc -c < "$tmp")',
  '      [ "$got" -eq "$size" ] || { echo "ferry: incomplete upload of $dst ($got of $size bytes); the old file is untouched" >&2; return 75; }',
  '      echo "ferry: checksum mismatch for $dst; the old file is untouched" >&2; return 75',
  '    fi',
  '    if [ -n "$mode" ]; then chmod "$mode" "$tmp"; elif [ -e "$dst" ]; then chmod --reference="$dst" "$tmp"; else chmod 644 "$tmp"; fi || return 75',
  '    if [ -n "$owner" ]; then chown "$owner" "$tmp" || return 75; elif [ -e "$dst" ]; then chown --reference="$dst" "$tmp" 2>/dev/null || true; fi',
  '  done',
  '}',
  'ferry_unstage() { while [ $# -ge 6 ]; do rm -f -- "$(ferry_temp "$1")"; shift 6; done; }',
  'ferry_commit() { while [ $# -ge 6 ]; do mv -f -- "$(ferry_temp "$1")" "$1" || return 1; shift 6; done; }',
].join('\n')

/**
 * How many fields each file takes in a batch's argument list.
 * @example
 * const paths = fields.filter((_, i) => i % BATCH_FIELDS === 0)
 */
export const BATCH_FIELDS = 6

/**
 * Validates files for one command: their fields (for {@link STAGE_FUNCTIONS}) and one stdin
 * holding every file's bytes, a Secret when any file is one.
 * @example
 * const { fields, stdin } = fileBatch([{ path: '/etc/app/cert.pem', data: cert, mode: 0o644 }])
 */
export function fileBatch(files: readonly BatchFile[]): {
  fields: string[]
  stdin: Buffer | Secret
} {
  const bytes = files.map((f) => Buffer.from(Secret.is(f.data) ? f.data.reveal() : f.data))
  const fields = files.flatMap((f, i) => {
    const { mode, owner } = fileFields(f)
    const data = bytes[i]!
    return [
      remotePath(f.path),
      sha256(data),
      String(data.length),
      mode,
      owner,
      f.mkdirs ? '1' : '0',
    ]
  })
  const all = Buffer.concat(bytes)
  return { fields, stdin: files.some((f) => Secret.is(f.data)) ? new Secret(all.toString()) : all }
}

/**
 * The command that writes several files at once, and the stdin it reads them from: every file is
 * staged and checked before the first is renamed into place.
 * @example
 * const { argv, stdin } = writeFilesCommand(files, { sudo: true })
 * await host.run(argv, { stdin })
 */
export function writeFilesCommand(
  files: readonly BatchFile[],
  options: { sudo?: boolean } = {},
): { argv: Arg[]; stdin: Buffer | Secret } {
  const { fields, stdin } = fileBatch(files)
  const script = cmd('sh', '-c', WRITE_FILES_SCRIPT, 'ferry-write', fields)
  return { argv: options.sudo ? cmd('sudo', '-n', '--', script) : script, stdin }
}

const WRITE_FILES_SCRIPT = [
  STAGE_FUNCTIONS,
  'FERRY_ID=$$',
  'trap \'ferry_unstage "$@"\' EXIT',
  "trap 'exit 129' HUP INT TERM PIPE",
  'ferry_stage "$@" || exit 75',
  'ferry_commit "$@"',
].join('\n')

/**
 * A remote absolute path: must start with `/` and hold no NUL or newline.
 * @example
 * remotePath('/etc/nginx/conf.d/site.conf')
 */
export function remotePath(value: unknown, field = 'remote path'): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    /[\0\n\r]/.test(value) ||
    value.endsWith('/')
  ) {
    throw new ValidationError({
      field,
      value,
      allowed: 'an absolute file path without newlines, not ending in "/"',
    })
  }
  return value
}

function fileFields(o: Pick<WriteFileOptions, 'mode' | 'owner'>): { mode: string; owner: string } {
  const owner = o.owner ?? ''
  if (owner && !/^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$/i.test(owner)) {
    throw new ValidationError({ field: 'owner', value: owner, allowed: 'user or user:group' })
  }
  return { mode: modeText(o.mode), owner }
}

function modeText(mode: number | string | undefined): string {
  if (mode === undefined) return ''
  const text = typeof mode === 'number' ? mode.toString(8) : mode.replace(/^0o/, '')
  if (!/^[0-7]{3,4}$/.test(text))
    throw new ValidationError({
      field: 'mode',
      value: mode,
      allowed: 'an octal file mode such as 0o600 or "644"',
    })
  return text
}

/**
 * SHA-256 of data, hex.
 * @example
 * sha256('hello') // '2cf24dba…'
 */
export const sha256 = (data: Buffer | string): string =>
  createHash('sha256').update(data).digest('hex')
