// Host-side copies of files before a change, so a refused change is undone by renames on the
// host itself: the previous private key never crosses the wire, and every restore is atomic.
import { randomBytes } from 'node:crypto'
import { cmd, type Arg, type Host } from '@ferry/core'

/** What a set of files looked like before a change. */
export interface FileSnapshot {
  readonly id: string
  readonly entries: readonly { path: string; existed: boolean }[]
}

const SNAPSHOT = [
  'set -e',
  'id=$1; shift',
  'for p do',
  '  b="$(dirname -- "$p")/.$(basename -- "$p").ferry-$id"',
  '  if [ -e "$p" ] || [ -L "$p" ]; then cp -P -p -- "$p" "$b"; echo 1; else echo 0; fi',
  'done',
].join('\n')

const RESTORE = [
  'id=$1; shift; rc=0',
  'while [ $# -ge 2 ]; do',
  '  e=$1; p=$2; shift 2',
  '  b="$(dirname -- "$p")/.$(basename -- "$p").ferry-$id"',
  '  if [ "$e" = 1 ]; then mv -f -- "$b" "$p" || rc=1; else rm -f -- "$p" || rc=1; fi',
  'done',
  'exit $rc',
].join('\n')

const DISCARD = [
  'id=$1; shift',
  'for p do rm -f -- "$(dirname -- "$p")/.$(basename -- "$p").ferry-$id"; done',
].join('\n')

/**
 * Argv builders for snapshots (pure).
 * @example
 * snapshotCommands.take('a1b2', ['/etc/nginx/conf.d/web.conf'])
 */
export const snapshotCommands = {
  /** Copies each existing path beside itself; prints 1 (copied) or 0 (absent) per path. */
  take: (id: string, paths: readonly string[]): Arg[] =>
    cmd('sh', '-c', SNAPSHOT, 'ferry-snapshot', id, [...paths]),
  /** Renames each copy back over its path, or removes a path that did not exist. */
  restore: (snapshot: FileSnapshot): Arg[] =>
    cmd(
      'sh',
      '-c',
      RESTORE,
      'ferry-restore',
      snapshot.id,
      snapshot.entries.flatMap((e) => [e.existed ? '1' : '0', e.path]),
    ),
  /** Removes the copies once the change is kept. */
  discard: (snapshot: FileSnapshot): Arg[] =>
    cmd(
      'sh',
      '-c',
      DISCARD,
      'ferry-discard',
      snapshot.id,
      snapshot.entries.filter((e) => e.existed).map((e) => e.path),
    ),
}

/**
 * Copies the files on the host before they are changed.
 * @example
 * const snap = await takeSnapshot(host, [configPath, keyPath], { sudo: true })
 */
export async function takeSnapshot(
  host: Host,
  paths: readonly string[],
  options: { sudo: boolean; signal?: AbortSignal },
): Promise<FileSnapshot> {
  const id = randomBytes(6).toString('hex')
  const out = await host.run(snapshotCommands.take(id, paths), { ...options, quiet: true })
  const flags = out.stdout.trim().split('\n')
  return { id, entries: paths.map((path, i) => ({ path, existed: flags[i] === '1' })) }
}

/**
 * Puts every file back as it was; true when all were restored.
 * @example
 * const ok = await restoreSnapshot(host, snap, { sudo: true })
 */
export async function restoreSnapshot(
  host: Host,
  snapshot: FileSnapshot,
  options: { sudo: boolean },
): Promise<boolean> {
  const result = await host
    .run(snapshotCommands.restore(snapshot), { ...options, check: false, quiet: true })
    .catch(() => undefined)
  return result?.exitCode === 0
}

/**
 * Drops the copies after a change is kept.
 * @example
 * await discardSnapshot(host, snap, { sudo: true })
 */
export async function discardSnapshot(
  host: Host,
  snapshot: FileSnapshot,
  options: { sudo: boolean },
): Promise<void> {
  if (snapshot.entries.some((e) => e.existed))
    await host.run(snapshotCommands.discard(snapshot), { ...options, check: false, quiet: true })
}
