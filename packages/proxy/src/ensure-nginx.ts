// Makes sure nginx is on the host (installing it with the host's package manager when allowed)
// and finds out which layout its distro uses.
import type { EventSink, Host } from '@ferry/core'
import { NginxError } from './errors.js'
import { nginxCommands } from './nginx-commands.js'
import type { NginxLayout, NginxSettings } from './nginx-options.js'

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

/**
 * The layout to use: the configured one, else what the host has.
 * @example
 * const layout = await detectLayout(host, settings) // 'sites' on Debian and Ubuntu
 */
export async function detectLayout(
  host: Host,
  nginx: NginxSettings,
  signal?: AbortSignal,
): Promise<NginxLayout> {
  if (nginx.layout) return nginx.layout
  const out = await host.run(nginxCommands.detectLayout(nginx), { quiet: true, signal })
  return out.stdout.trim() === 'sites' ? 'sites' : 'conf.d'
}
