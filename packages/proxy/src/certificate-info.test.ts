import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { certificateInfo, daysLeft } from './certificate-info.js'

// A real certificate made by openssl, chained with a second one as a CA's fullchain would be.
function makeCert(days: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-cert-'))
  try {
    const cert = join(dir, 'c.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        cert,
        '-days',
        String(days),
        '-subj',
        '/CN=a.example.com',
        '-addext',
        'subjectAltName=DNS:a.example.com,DNS:WWW.example.com,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    )
    return readFileSync(cert, 'utf8')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test('certificateInfo reads names and expiry of the first certificate of a chain', () => {
  const leaf = makeCert(10)
  const other = makeCert(400)
  const info = certificateInfo(`${leaf}${other}`)
  expect(info.domains).toEqual(['a.example.com', 'www.example.com'])
  expect(daysLeft(info.notAfter, Date.now())).toBe(9)
  expect(info.notBefore.getTime()).toBeLessThanOrEqual(Date.now())
  expect(info.issuer).toContain('CN=a.example.com')
  expect(info.serialNumber).toMatch(/^[0-9A-F]+$/)
})

test('certificateInfo refuses text without a certificate', () => {
  expect(() => certificateInfo('hello')).toThrow('no PEM certificate')
})

test('daysLeft counts whole days and goes negative after expiry', () => {
  const now = Date.UTC(2030, 0, 1)
  expect(daysLeft(new Date(Date.UTC(2030, 0, 31, 12)), now)).toBe(30)
  expect(daysLeft(new Date(Date.UTC(2029, 11, 31)), now)).toBe(-1)
})
