import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ValidationError } from '@ferry/core'
import { ED25519_OPENSSH, RSA_PEM } from '../test/fixtures/keys.js'
import { parsePrivateKey, publicKeyLine } from './ssh-key.js'
import { sshMpint } from './ssh-wire.js'

describe('parsePrivateKey', () => {
  it('reads an unencrypted OpenSSH ed25519 key', () => {
    const key = parsePrivateKey(ED25519_OPENSSH)
    expect(key.type).toBe('ssh-ed25519')
    expect(publicKeyLine(key)).toBe(
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4 fixture',
    )
  })

  it('reads a PKCS#1 RSA PEM and derives the OpenSSH public key', () => {
    expect(publicKeyLine(parsePrivateKey(RSA_PEM), 'x')).toBe(
      'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC4sryRoXUTOaFLGNc7zKfD3u9dKCfsxJLts9ii7BgxswOtAr2WoCJ4Oav34/BoFbgSFv3D1hg2jwxdWYxoxaRdnl3oF/oFk+PGahvjDxii6KtOF4AQKLsQw9Ouj4oFAb3nLOjVe67ZbRaklCQ2m68oXO64UJMNe8UYerQgRwoItQ== x',
    )
  })

  it('reads PKCS#8 ed25519 and RSA keys through node:crypto', () => {
    const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' })
    expect(parsePrivateKey(ed.toString()).type).toBe('ssh-ed25519')
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey
    expect(parsePrivateKey(rsa.export({ format: 'pem', type: 'pkcs8' }).toString()).type).toBe(
      'ssh-rsa',
    )
  })

  it('refuses encrypted, foreign and garbled keys with a ValidationError', () => {
    const encrypted = ED25519_OPENSSH.replace(
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
      'b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0',
    )
    expect(() => parsePrivateKey(encrypted)).toThrow(ValidationError)
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    expect(() => parsePrivateKey(ec.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(
      ValidationError,
    )
    expect(() => parsePrivateKey('not a key')).toThrow(ValidationError)
  })
})

describe('sshMpint', () => {
  it('drops leading zeros and adds a sign byte when the top bit is set', () => {
    expect(sshMpint(Buffer.from([0, 0, 1, 0, 1])).toString('hex')).toBe('00000003010001')
    expect(sshMpint(Buffer.from([0x80])).toString('hex')).toBe('000000020080')
    expect(sshMpint(Buffer.from([0])).toString('hex')).toBe('00000000')
  })
})
