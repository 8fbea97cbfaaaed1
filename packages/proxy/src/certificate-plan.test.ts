import { Secret, ValidationError } from '@ferry/core'
import { describe, expect, test } from 'vitest'
import { acme } from './acme-directory.js'
import { certificatePlan, preflightAddress, type CertificateInput } from './certificate-plan.js'

const base: CertificateInput = { domains: ['Example.com', 'www.example.com', 'example.com'] }

describe('certificatePlan', () => {
  test('defaults: Let\'s Encrypt production, ECDSA, site "ferry", paths under certDir', () => {
    const plan = certificatePlan(base)
    expect(plan).toMatchObject({
      domains: ['example.com', 'www.example.com'],
      directoryUrl: acme.directory.letsencrypt.production,
      keyType: 'ecdsa',
      site: 'ferry',
      preflight: true,
      certPath: '/etc/ssl/ferry/example.com/fullchain.pem',
      keyPath: '/etc/ssl/ferry/example.com/privkey.pem',
    })
    expect(plan.accountKeyPath).toMatch(
      /\/\.ferry\/acme\/acme-v02\.api\.letsencrypt\.org\/account\.key$/,
    )
  })

  test("presets are the Let's Encrypt URLs", () => {
    expect(acme.directory.letsencrypt).toEqual({
      staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
      production: 'https://acme-v02.api.letsencrypt.org/directory',
    })
  })

  test.each([
    [{ domains: [] }, 'domains'],
    [{ domains: 'example.com' as never }, 'domains'],
    [{ domains: ['*.example.com'] }, 'domains'],
    [{ domains: ['exa mple.com'] }, 'domains'],
    [{ domains: ['example.com'], email: 'not-an-email' }, 'email'],
    [{ domains: ['example.com'], directoryUrl: 'http://ca.example.com/dir' }, 'directoryUrl'],
    [{ domains: ['example.com'], directoryUrl: 'nope' }, 'directoryUrl'],
    [{ domains: ['example.com'], site: 'My Site' }, 'site'],
    [{ domains: ['example.com'], address: 'not an address' }, 'address'],
    [{ domains: ['example.com'], keyType: 'dsa' as never }, 'keyType'],
    [{ domains: ['example.com'], accountKey: 'pem text' as never }, 'accountKey'],
    [{ domains: ['example.com'], nginx: { httpsPort: 0 } }, 'nginx.httpsPort'],
  ])('%j → ValidationError on %s', (input, field) => {
    let error: unknown
    try {
      certificatePlan(input)
    } catch (e) {
      error = e
    }
    expect(ValidationError.is(error) && error.field).toBe(field)
  })

  test('the account key may be given as a Secret; addresses may be IPs or names', () => {
    const key = new Secret('pem')
    expect(certificatePlan({ ...base, accountKey: key }).accountKey).toBe(key)
    expect(certificatePlan({ ...base, address: '2001:db8::1' }).address).toBe('2001:db8::1')
    expect(certificatePlan({ ...base, address: 'EC2-1.compute.example.com' }).address).toBe(
      'ec2-1.compute.example.com',
    )
  })
})

describe('preflightAddress', () => {
  test('input first, then the server; none is an error unless preflight is off', () => {
    expect(preflightAddress(certificatePlan({ ...base, address: '192.0.2.1' }), '192.0.2.9')).toBe(
      '192.0.2.1',
    )
    expect(preflightAddress(certificatePlan(base), '192.0.2.9')).toBe('192.0.2.9')
    expect(() => preflightAddress(certificatePlan(base))).toThrow(ValidationError)
    expect(preflightAddress(certificatePlan({ ...base, preflight: false }))).toBeUndefined()
  })
})
