// Makes sure nginx is on the host, installing it with the host's package manager when allowed.
import type { EventSink, Host } from '@ferry/core'
import { NginxError } from './errors.js'
import { nginxCommands } from './nginx-commands.js'
import type { NginxSettings } from './nginx-options.js'

/**
 * Installs nginx when it is missing; returns true when it installed it.
 * @example
 * await ensureNginx(host, nginxSettings(), { emit: () => {} })
 */
export async function ensureNginx(
  host: Host,
  nginx: NginxSettings,
  o: { emit: EventSink; signal?: AbortSignal },
): Promise<boolean> {
  const sudo = nginx.sudo
  const present = async () =>
    (await host.run(nginxCommands.present(nginx), { sudo, check: false, signal: o.signal }))
      .exitCode === 0
  if (await present()) return false
  if (!nginx.install)
    throw new NginxError({
      host: host.name,
      phase: 'install',
      stderr: `nginx is not installed${nginx.bin ? ` at ${nginx.bin}` : ''} and nginx.install is false`,
      restored: false,
    })
  o.emit({ type: 'info', message: `installing nginx on ${host.name}` })
  const result = await host.run(nginxCommands.install(), {
    sudo,
    check: false,
    signal: o.signal,
    timeout: 10 * 60_000,
  })
  if (result.exitCode !== 0 || !(await present()))
    throw new NginxError({
      host: host.name,
      phase: 'install',
      stderr: result.stderr || `nginx is still missing${nginx.bin ? ` at ${nginx.bin}` : ''}`,
      restored: false,
    })
  return true
}
