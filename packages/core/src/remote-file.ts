// Pure builders for file commands on a host. The atomic write streams the data to a temp file
// beside the target, checks its size and SHA-256, and only then renames it into place: a cut
// connection leaves the old file, never a partial one.
import { createHash } from 'node:crypto'
import { ValidationError } from './errors.js'
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

const WRITE_SCRIPT = [
  'set -e',
  'dst=$1; sum=$2; size=$3; mode=$4; owner=$5; mkdirs=$6',
  '[ "$mkdirs" = 0 ] || mkdir -p -- "$(dirname -- "$dst")"',
  'tmp=$(dirname -- "$dst")/.$(basename -- "$dst").ferry-$$',
  'trap \'rm -f -- "$tmp"\' EXIT',
  "trap 'exit 129' HUP INT TERM PIPE",
  'umask 077',
  'cat > "$tmp"',
  'got=$(wc -c < "$tmp")',
  '[ "$got" -eq "$size" ] || { echo "ferry: incomplete upload of $dst ($got of $size bytes); the old file is untouched" >&2; exit 75; }',
  'echo "$sum  $tmp" | sha256sum -c --status || { echo "ferry: checksum mismatch for $dst; the old file is untouched" >&2; exit 75; }',
  'if [ -n "$mode" ]; then chmod "$mode" "$tmp"; elif [ -e "$dst" ]; then chmod --reference="$dst" "$tmp"; else chmod 644 "$tmp"; fi',
  'if [ -n "$owner" ]; then chown "$owner" "$tmp"; elif [ -e "$dst" ]; then chown --reference="$dst" "$tmp" 2>/dev/null || true; fi',
  'mv -f -- "$tmp" "$dst"',
  'trap - EXIT',
].join('\n')

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
  const file = remotePath(path)
  const mode = modeText(options.mode)
  const owner = options.owner ?? ''
  if (owner && !/^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$/i.test(owner)) {
    throw new ValidationError({ field: 'owner', value: owner, allowed: 'user or user:group' })
  }
  const mkdirs = options.mkdirs ? '1' : '0'
  const script =
    options.atomic === false
      ? cmd('sh', '-c', DIRECT_SCRIPT, 'ferry-write', file, mode, owner, mkdirs)
      : cmd(
          'sh',
          '-c',
          WRITE_SCRIPT,
          'ferry-write',
          file,
          sha256(data),
          data.length,
          mode,
          owner,
          mkdirs,
        )
  return options.sudo ? cmd('sudo', '-n', '--', script) : script
}

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

/** SHA-256 of data, hex. */
export const sha256 = (data: Buffer | string): string =>
  createHash('sha256').update(data).digest('hex')
