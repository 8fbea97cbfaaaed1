// The one way ferry changes nginx: copy the files it will touch, write the new ones atomically,
// `nginx -t`, reload. When the test or the reload fails, the copies are renamed back, so nginx
// (which only re-reads files on reload) keeps serving what it served before.
import type { Host, Secret } from '@ferry/core'
import { NginxError } from './errors.js'
import { nginxCommands } from './nginx-commands.js'
import type { NginxSettings } from './nginx-options.js'
import { discardSnapshot, restoreSnapshot, takeSnapshot } from './snapshot.js'

/** One file of a change: new content, a symlink, or removal. */
export type FileChange =
  | { path: string; content: string | Secret; mode: number; owner?: string }
  | { path: string; linkTo: string }
  | { path: string; remove: true }

/**
 * Applies file changes to nginx transactionally; throws NginxError (with `restored`) when nginx
 * refuses them.
 * @example
 * await applyNginxChange(host, [{ path: configPath, content: text, mode: 0o644 }], { nginx })
 */
export async function applyNginxChange(
  host: Host,
  changes: readonly FileChange[],
  options: { nginx: NginxSettings; signal?: AbortSignal },
): Promise<void> {
  const { nginx, signal } = options
  const sudo = nginx.sudo
  const paths = changes.map((c) => c.path)
  const snapshot = await takeSnapshot(host, paths, { sudo, signal })
  const fail = async (phase: 'test' | 'reload', stderr: string, cause?: unknown) => {
    const restored = await restoreSnapshot(host, snapshot, { sudo })
    return new NginxError({ host: host.name, phase, stderr, restored, paths, cause })
  }
  try {
    for (const change of changes) await write(host, change, { sudo, signal })
  } catch (error) {
    // A failed upload leaves the old file (atomic writes); put back any earlier file of the set.
    await restoreSnapshot(host, snapshot, { sudo })
    throw error
  }
  const test = await host
    .run(nginxCommands.test(nginx), { sudo, check: false, signal })
    .catch(async (error: unknown) => {
      throw await fail('test', String(error), error)
    })
  if (test.exitCode !== 0) throw await fail('test', test.stderr || test.stdout)
  const reload = await host
    .run(nginxCommands.reloadAndWait(nginx), { sudo, check: false, signal })
    .catch(async (error: unknown) => {
      throw await fail('reload', String(error), error)
    })
  if (reload.exitCode !== 0) throw await fail('reload', reload.stderr || reload.stdout)
  await discardSnapshot(host, snapshot, { sudo })
}

async function write(
  host: Host,
  change: FileChange,
  o: { sudo: boolean; signal?: AbortSignal },
): Promise<void> {
  if ('linkTo' in change) {
    await host.run(nginxCommands.link(change.linkTo, change.path), o)
  } else if ('remove' in change) {
    await host.run(nginxCommands.remove([change.path]), o)
  } else {
    await host.writeFile(change.path, change.content, {
      ...o,
      atomic: true,
      mkdirs: true,
      mode: change.mode,
      owner: change.owner ?? (o.sudo ? 'root:root' : undefined),
    })
  }
}
