import { CommandError, FerryError } from '@ferry/core'
import { expect, test } from 'vitest'
import { CertificateError, NginxError } from './errors.js'

test("NginxError says what failed, whether the old config is back, and nginx's stderr tail", () => {
  const stderr = [...Array.from({ length: 30 }, (_, i) => `line ${i}`), 'nginx: [emerg] bad'].join(
    '\n',
  )
  const e = new NginxError({ host: 'web-1', phase: 'test', stderr, restored: true, paths: ['/a'] })
  expect(e.message).toBe(
    `nginx -t failed on web-1. The previous configuration was restored; nginx keeps serving the old routes.\n${stderr.split('\n').slice(-20).join('\n')}`,
  )
  expect(e).toMatchObject({ code: 'COMMAND_FAILED', phase: 'test', restored: true, paths: ['/a'] })
  expect(e.stderrTail.split('\n')).toHaveLength(20)
  expect(NginxError.is(e)).toBe(true)
  expect(FerryError.is(e)).toBe(true)
  // A plain command failure is not an NginxError.
  const other = new CommandError({ host: 'h', command: 'x', exitCode: 1, stderr: '' })
  expect(NginxError.is(other)).toBe(false)
})

test('NginxError after a failed reload says what nginx serves, not only what is on disk', () => {
  const back = new NginxError({
    host: 'web-1',
    phase: 'reload',
    stderr: '',
    restored: true,
    serving: 'previous',
  })
  expect(back.message).toBe(
    'the nginx reload failed on web-1. The previous configuration was restored and nginx serves the old routes.',
  )
  expect(back.serving).toBe('previous')
  const unsure = new NginxError({
    host: 'web-1',
    phase: 'reload',
    stderr: '',
    restored: true,
    serving: 'unknown',
  })
  expect(unsure.message).toBe(
    'the nginx reload failed on web-1. The previous files were restored, but nginx could not be shown to reload them: it may still serve the new routes until its next reload; check the host.',
  )
  expect(new NginxError({ host: 'h', phase: 'test', stderr: '', restored: true }).serving).toBe(
    'previous',
  )
})

test('NginxError when the restore failed too', () => {
  const e = new NginxError({ host: 'web-1', phase: 'reload', stderr: '', restored: false })
  expect(e.message).toBe(
    'the nginx reload failed on web-1. The previous configuration could NOT be restored: check the host.',
  )
})

test('CertificateError: codes by reason, retryable only when the CA was unreachable', () => {
  const dns = new CertificateError({ reason: 'dns', message: 'm', domain: 'a.example.com' })
  expect(dns).toMatchObject({ code: 'PRECONDITION', retryable: false, domain: 'a.example.com' })
  expect(new CertificateError({ reason: 'account-key', message: 'm' }).code).toBe('CONFLICT')
  expect(new CertificateError({ reason: 'ca-unreachable', message: 'm' }).retryable).toBe(true)
  expect(CertificateError.is(dns)).toBe(true)
  expect(CertificateError.is(new FerryError('PRECONDITION', 'x'))).toBe(false)
})
