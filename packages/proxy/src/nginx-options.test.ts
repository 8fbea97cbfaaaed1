import { ValidationError } from '@ferry/core'
import { describe, expect, test } from 'vitest'
import { configSafePath, nginxSettings, sitePaths } from './nginx-options.js'

describe('nginxSettings', () => {
  test('distro defaults', () => {
    expect(nginxSettings()).toEqual({
      bin: undefined,
      install: true,
      layout: undefined,
      confDir: '/etc/nginx/conf.d',
      sitesAvailable: '/etc/nginx/sites-available',
      sitesEnabled: '/etc/nginx/sites-enabled',
      webroot: '/var/www/ferry-acme',
      certDir: '/etc/ssl/ferry',
      httpPort: 80,
      httpsPort: 443,
      listen: [],
      testCommand: ['nginx', '-t'],
      reloadCommand: ['systemctl', 'reload-or-restart', 'nginx'],
      pidPath: '/run/nginx.pid',
      sudo: true,
      serverNamesHashBucketSize: 64,
      stateDir: '/etc/nginx/.ferry-txn',
    })
  })

  test('the outcome directory sits beside the site files given, under a prefix install too', () => {
    expect(nginxSettings({ confDir: '/opt/nginx/conf.d' }).stateDir).toBe('/opt/nginx/.ferry-txn')
    expect(nginxSettings({ sitesAvailable: '/srv/ng/sites-available' }).stateDir).toBe(
      '/srv/ng/.ferry-txn',
    )
    expect(nginxSettings({ stateDir: '/var/lib/ferry' }).stateDir).toBe('/var/lib/ferry')
  })

  test('a prefix install: confDir means conf.d layout, bin drives test and reload', () => {
    const s = nginxSettings({ bin: '/opt/nginx/sbin/nginx', confDir: '/opt/nginx/conf.d' })
    expect(s.layout).toBe('conf.d')
    expect(s.testCommand).toEqual(['/opt/nginx/sbin/nginx', '-t'])
    expect(s.reloadCommand).toEqual(['/opt/nginx/sbin/nginx', '-s', 'reload'])
  })

  test.each([
    [{ httpPort: 0 }, 'nginx.httpPort'],
    [{ httpsPort: 80 }, 'nginx.httpsPort'],
    [{ confDir: 'relative/dir' }, 'nginx.confDir'],
    [{ webroot: '/var/www/my root' }, 'nginx.webroot'],
    [{ webroot: '/var/$host' }, 'nginx.webroot'],
    [{ certDir: '/etc/ssl/../x' }, 'nginx.certDir'],
    [{ listen: ['0.0.0.0:80'] }, 'nginx.listen'],
    [{ listen: ['::'] }, 'nginx.listen'],
    [{ testCommand: [] }, 'nginx.testCommand'],
    [{ reloadCommand: ['nginx', 'a\nb'] }, 'nginx.reloadCommand'],
    [{ layout: 'sites-enabled' as never }, 'nginx.layout'],
  ])('%j → ValidationError on %s', (options, field) => {
    let error: unknown
    try {
      nginxSettings(options)
    } catch (e) {
      error = e
    }
    expect(ValidationError.is(error) && error.field).toBe(field)
  })

  test('listen accepts IPv4, * and bracketed IPv6', () => {
    expect(nginxSettings({ listen: ['127.0.0.1', '*', '[::]'] }).listen).toEqual([
      '127.0.0.1',
      '*',
      '[::]',
    ])
  })
})

test('sitePaths per layout', () => {
  const s = nginxSettings()
  expect(sitePaths(s, 'conf.d', 'web')).toEqual({
    configPath: '/etc/nginx/conf.d/web.conf',
    enabledPath: undefined,
  })
  expect(sitePaths(s, 'sites', 'web')).toEqual({
    configPath: '/etc/nginx/sites-available/web.conf',
    enabledPath: '/etc/nginx/sites-enabled/web.conf',
  })
})

test('configSafePath refuses what nginx would read differently', () => {
  expect(configSafePath('/etc/ssl/a.example.com/fullchain.pem', 'p')).toBe(
    '/etc/ssl/a.example.com/fullchain.pem',
  )
  for (const bad of ['/a b', '/a;b', '/a{b', '/a"b', '/a$b', 'a/b', '/a/'])
    expect(() => configSafePath(bad, 'p'), bad).toThrow(ValidationError)
})
