import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { render, type Arg } from '@ferry/core'
import { describe, expect, test } from 'vitest'
import { NGINX_MISSING, nginxCommands } from './nginx-commands.js'
import { nginxSettings } from './nginx-options.js'

describe('nginxCommands', () => {
  test('present: the configured binary, else nginx on root PATH', () => {
    expect(nginxCommands.present(nginxSettings({ bin: '/usr/sbin/nginx' }))).toEqual([
      'test',
      '-x',
      '/usr/sbin/nginx',
    ])
    expect(render(nginxCommands.present(nginxSettings()))).toBe(
      "sh -c 'command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]'",
    )
  })

  test('install picks dnf, yum or apt-get and starts nginx under systemd', () => {
    const script = String(nginxCommands.install()[2])
    expect(script).toContain('dnf install -y nginx')
    expect(script).toContain('yum install -y nginx')
    expect(script).toContain('apt-get install -y -q --no-install-recommends nginx')
    expect(script).toContain('systemctl enable --now nginx')
    // The script must at least parse in a POSIX sh.
    execFileSync('sh', ['-n', '-c', script])
  })

  test('test, reload and webroot follow the settings', () => {
    const s = nginxSettings({
      webroot: '/srv/acme',
      testCommand: ['x', '-t'],
      reloadCommand: ['x', 'r'],
    })
    expect(nginxCommands.test(s)).toEqual(['x', '-t'])
    expect(nginxCommands.reload(s)).toEqual(['x', 'r'])
    expect(nginxCommands.prepareWebroot(s)).toEqual([
      'mkdir',
      '-p',
      '-m',
      '755',
      '--',
      '/srv/acme/.well-known/acme-challenge',
    ])
    expect(nginxCommands.remove(['/a', '/b'])).toEqual(['rm', '-f', '--', '/a', '/b'])
  })

  test('inspectSite runs in a real sh: layout, link, the file byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry layout '))
    const webroot = mkdtempSync(join(tmpdir(), 'ferry-webroot-'))
    try {
      const s = (avail: string, enabled: string) =>
        nginxSettings({
          bin: '/bin/sh',
          sitesAvailable: join(dir, avail),
          sitesEnabled: join(dir, enabled),
          webroot,
        })
      const run = (argv: readonly Arg[]) => {
        try {
          return execFileSync(String(argv[0]), argv.slice(1).map(String)).toString()
        } catch (error) {
          return `exit ${(error as { status: number }).status}`
        }
      }
      expect(run(nginxCommands.inspectSite(s('none', 'none'), 'web'))).toBe(
        'conf.d\nnolink\nnotext\n',
      )
      mkdirSync(join(dir, 'avail'))
      mkdirSync(join(dir, 'on'))
      expect(run(nginxCommands.inspectSite(s('avail', 'on'), 'web'))).toBe(
        'sites\nnolink\nnotext\n',
      )
      writeFileSync(join(dir, 'avail', 'web.conf'), 'server {}\n\nlast line, no newline')
      symlinkSync(join(dir, 'avail', 'web.conf'), join(dir, 'on', 'web.conf'))
      expect(run(nginxCommands.inspectSite(s('avail', 'on'), 'web'))).toBe(
        `sites\nlink ${join(dir, 'avail', 'web.conf')}\ntext\nserver {}\n\nlast line, no newline`,
      )
      const missing = nginxSettings({ bin: join(dir, 'no-nginx'), webroot })
      expect(run(nginxCommands.inspectSite(missing, 'web'))).toBe(`exit ${NGINX_MISSING}`)
      expect(readdirSync(join(webroot, '.well-known'))).toEqual(['acme-challenge'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
      rmSync(webroot, { recursive: true, force: true })
    }
  })
})
