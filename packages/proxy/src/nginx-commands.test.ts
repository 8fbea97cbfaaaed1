import { execFileSync } from 'node:child_process'
import { lstatSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { render } from '@ferry/core'
import { describe, expect, test } from 'vitest'
import { nginxCommands } from './nginx-commands.js'
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

  test('reloadAndWait runs the reload and passes its failure on', () => {
    const run = (reloadCommand: string[]) => {
      const argv = nginxCommands
        .reloadAndWait(nginxSettings({ reloadCommand, pidPath: '/nonexistent/nginx.pid' }))
        .map(String)
      try {
        return { code: 0, out: execFileSync(argv[0]!, argv.slice(1)).toString() }
      } catch (e) {
        return { code: (e as { status: number }).status, out: '' }
      }
    }
    expect(run(['echo', 'reloaded'])).toEqual({
      code: 0,
      out: 'reloaded\nferry: reload not verified: no nginx master in /nonexistent/nginx.pid\n',
    })
    expect(run(['sh', '-c', 'exit 3'])).toEqual({ code: 3, out: '' })
  })

  test('detectLayout and link run in a real sh', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry layout '))
    try {
      const s = (avail: string, enabled: string) =>
        nginxSettings({ sitesAvailable: join(dir, avail), sitesEnabled: join(dir, enabled) })
      const run = (argv: (string | number)[]) =>
        execFileSync(String(argv[0]), argv.slice(1).map(String)).toString()
      expect(run(nginxCommands.detectLayout(s('none', 'none')) as string[])).toBe('conf.d\n')
      expect(run(nginxCommands.detectLayout(s('', '')) as string[])).toBe('sites\n')
      const target = join(dir, 'web.conf')
      const link = join(dir, 'enabled web.conf')
      writeFileSync(link, 'a file in the way')
      run(nginxCommands.link(target, link) as string[])
      expect(lstatSync(link).isSymbolicLink()).toBe(true)
      expect(readlinkSync(link)).toBe(target)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
