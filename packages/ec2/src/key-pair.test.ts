import { describe, expect, it } from 'vitest'
import { ValidationError } from '@ferry/core'
import { checkImport } from './key-pair.js'

const refusedField = (publicKey: string): string => {
  try {
    checkImport({ name: 'laptop', publicKey })
    return 'accepted'
  } catch (e) {
    return ValidationError.is(e) ? e.field : `not a ValidationError: ${String(e)}`
  }
}

describe('checkImport', () => {
  it('takes the key types EC2 imports: ED25519 and RSA', () => {
    expect(refusedField('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE me@laptop')).toBe('accepted')
    expect(refusedField('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== me@laptop')).toBe('accepted')
  })

  it('refuses ECDSA keys before any AWS call, as EC2 would refuse them', () => {
    expect(refusedField('ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY= me@laptop')).toBe(
      'keyPair.publicKey',
    )
  })
})
