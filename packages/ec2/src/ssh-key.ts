// Reading private keys (OpenSSH `openssh-key-v1`, or PEM that node:crypto reads) into their
// components, and writing public keys, with node:crypto only.
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { reveal, ValidationError, type Secret } from '@ferry/core'
import { sshMpint, SshReader, sshString } from './ssh-wire.js'

/** A private key's components. Byte fields are unsigned big-endian magnitudes (RSA) or raw (ed25519). */
export type SshPrivateKey =
  | { type: 'ssh-ed25519'; seed: Buffer; publicKey: Buffer; comment: string }
  | {
      type: 'ssh-rsa'
      n: Buffer
      e: Buffer
      d: Buffer
      p: Buffer
      q: Buffer
      /** q⁻¹ mod p */
      iqmp: Buffer
      comment: string
    }

const OPENSSH = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/
const MAGIC = Buffer.from('openssh-key-v1\0')
const allowed = 'an unencrypted RSA or ed25519 private key (OpenSSH or PEM)'

/**
 * The components of an unencrypted RSA or ed25519 private key.
 * @example
 * parsePrivateKey(readFileSync('web.pem', 'utf8')).type // 'ssh-ed25519'
 */
export function parsePrivateKey(text: string | Secret): SshPrivateKey {
  const pem = reveal(text)
  const openssh = OPENSSH.exec(pem)
  return openssh
    ? parseOpenSsh(Buffer.from(openssh[1]!.replace(/\s+/g, ''), 'base64'))
    : parsePem(pem)
}

/**
 * The SSH public-key blob (as in authorized_keys, base64-decoded).
 * @example
 * publicKeyBlob(parsePrivateKey(pem)).toString('base64')
 */
export function publicKeyBlob(key: SshPrivateKey): Buffer {
  return key.type === 'ssh-ed25519'
    ? Buffer.concat([sshString(key.type), sshString(key.publicKey)])
    : Buffer.concat([sshString(key.type), sshMpint(key.e), sshMpint(key.n)])
}

/**
 * The OpenSSH public-key line, e.g. for ImportKeyPair or authorized_keys.
 * @example
 * publicKeyLine(parsePrivateKey(pem), 'web') // 'ssh-ed25519 AAAAC3Nza… web'
 */
export function publicKeyLine(key: SshPrivateKey, comment = key.comment): string {
  return `${key.type} ${publicKeyBlob(key).toString('base64')}${comment ? ` ${comment}` : ''}`
}

function parseOpenSsh(data: Buffer): SshPrivateKey {
  if (!data.subarray(0, MAGIC.length).equals(MAGIC)) throw bad('not an openssh-key-v1 key')
  const r = new SshReader(data.subarray(MAGIC.length))
  const cipher = r.text()
  r.text() // kdf name
  r.string() // kdf options
  if (cipher !== 'none')
    throw new ValidationError({
      field: 'private key',
      value: `(encrypted with ${cipher})`,
      allowed,
    })
  if (r.uint32() !== 1) throw bad('more than one key')
  r.string() // public key, repeated inside the private section
  const s = new SshReader(r.string())
  if (s.uint32() !== s.uint32()) throw bad('check bytes differ')
  const type = s.text()
  if (type === 'ssh-ed25519') {
    const publicKey = s.string()
    const secret = s.string()
    return {
      type,
      seed: Buffer.from(secret.subarray(0, 32)),
      publicKey: Buffer.from(publicKey),
      comment: s.text(),
    }
  }
  if (type === 'ssh-rsa') {
    const [n, e, d, iqmp, p, q] = [s.mpint(), s.mpint(), s.mpint(), s.mpint(), s.mpint(), s.mpint()]
    return { type, n, e, d, p, q, iqmp, comment: s.text() }
  }
  throw new ValidationError({ field: 'private key', value: `(${type})`, allowed })
}

function parsePem(pem: string): SshPrivateKey {
  let key
  try {
    key = createPrivateKey(pem)
  } catch (error) {
    throw new ValidationError({
      field: 'private key',
      value: '(unreadable key text)',
      allowed,
      cause: error,
    })
  }
  const jwk = key.export({ format: 'jwk' })
  const b = (v: string | undefined) => Buffer.from(v ?? '', 'base64url')
  if (key.asymmetricKeyType === 'ed25519')
    return {
      type: 'ssh-ed25519',
      seed: b(jwk.d),
      publicKey: b(createPublicKey(key).export({ format: 'jwk' }).x),
      comment: '',
    }
  if (key.asymmetricKeyType === 'rsa')
    return {
      type: 'ssh-rsa',
      n: b(jwk.n),
      e: b(jwk.e),
      d: b(jwk.d),
      p: b(jwk.p),
      q: b(jwk.q),
      iqmp: b(jwk.qi),
      comment: '',
    }
  throw new ValidationError({
    field: 'private key',
    value: `(${key.asymmetricKeyType} key)`,
    allowed,
  })
}

function bad(why: string): ValidationError {
  return new ValidationError({ field: 'private key', value: `(${why})`, allowed })
}
