import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Secret, ValidationError } from '@ferry/core'
import { ED25519_OPENSSH, ED25519_PPK, RSA_PEM, RSA_PPK } from '../test/fixtures/keys.js'
import { privateBlob, toPpk } from './ppk.js'
import { parsePrivateKey, publicKeyBlob } from './ssh-key.js'
import { sshString } from './ssh-wire.js'

describe('toPpk', () => {
  it('writes an ed25519 key exactly as PuTTYgen 0.78 does', () => {
    expect(toPpk(ED25519_OPENSSH)).toBe(ED25519_PPK)
  })

  it('writes an RSA PEM key (as EC2 returns it) exactly as PuTTYgen 0.78 does', () => {
    expect(toPpk(new Secret(RSA_PEM), { comment: 'fixture' })).toBe(RSA_PPK)
  })

  it('has the v3 structure: header, counted base64 lines of 64, MAC last', () => {
    const lines = toPpk(ED25519_OPENSSH, { comment: 'web key' }).split('\n')
    expect(lines).toEqual([
      'PuTTY-User-Key-File-3: ssh-ed25519',
      'Encryption: none',
      'Comment: web key',
      'Public-Lines: 2',
      'AAAAC3NzaC1lZDI1NTE5AAAAIAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQS',
      'VTG4',
      'Private-Lines: 1',
      'AAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f',
      expect.stringMatching(/^Private-MAC: [0-9a-f]{64}$/),
      '',
    ])
  })

  it('MACs algorithm, encryption, comment, public and private blob with an empty HMAC-SHA-256 key', () => {
    const key = parsePrivateKey(RSA_PEM)
    const mac = createHmac('sha256', Buffer.alloc(0))
      .update(
        Buffer.concat([
          sshString('ssh-rsa'),
          sshString('none'),
          sshString('c'),
          sshString(publicKeyBlob(key)),
          sshString(privateBlob(key)),
        ]),
      )
      .digest('hex')
    expect(toPpk(key, { comment: 'c' }).trimEnd().split('\n').at(-1)).toBe(`Private-MAC: ${mac}`)
  })

  it('encodes the ed25519 private blob as the 32-byte secret in an SSH string', () => {
    const blob = privateBlob(parsePrivateKey(ED25519_OPENSSH))
    expect(blob.toString('hex')).toBe(
      '00000020000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
    )
  })

  it('refuses a comment with a line break', () => {
    expect(() => toPpk(ED25519_OPENSSH, { comment: 'a\nb' })).toThrow(ValidationError)
  })
})
