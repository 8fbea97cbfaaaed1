// PuTTY's private key file, format 3, unencrypted: the public and private blobs in base64 and
// an HMAC-SHA-256 over everything (with a zero-length key when the file is not encrypted).
import { createHmac } from 'node:crypto'
import { ValidationError, type Secret } from '@ferry/core'
import { parsePrivateKey, publicKeyBlob, type SshPrivateKey } from './ssh-key.js'
import { sshMpint, sshString } from './ssh-wire.js'

/**
 * A PPK v3 file (unencrypted) for an RSA or ed25519 private key, as PuTTYgen 0.75+ writes it.
 * Write it with mode 0600: it holds the private key in the clear.
 * @example
 * writeFileSync('web.ppk', toPpk(pem, { comment: 'web' }), { mode: 0o600, flag: 'wx' })
 */
export function toPpk(
  key: string | Secret | SshPrivateKey,
  options: { comment?: string } = {},
): string {
  const k = typeof key === 'object' && 'type' in key ? key : parsePrivateKey(key)
  const comment = options.comment ?? k.comment
  if (/[\r\n]/.test(comment))
    throw new ValidationError({ field: 'comment', value: comment, allowed: 'one line of text' })
  const pub = publicKeyBlob(k)
  const priv = privateBlob(k)
  const mac = createHmac('sha256', Buffer.alloc(0))
    .update(
      Buffer.concat([
        sshString(k.type),
        sshString('none'),
        sshString(comment),
        sshString(pub),
        sshString(priv),
      ]),
    )
    .digest('hex')
  const pubLines = base64Lines(pub)
  const privLines = base64Lines(priv)
  return [
    `PuTTY-User-Key-File-3: ${k.type}`,
    'Encryption: none',
    `Comment: ${comment}`,
    `Public-Lines: ${pubLines.length}`,
    ...pubLines,
    `Private-Lines: ${privLines.length}`,
    ...privLines,
    `Private-MAC: ${mac}`,
    '',
  ].join('\n')
}

/**
 * The PPK private blob: RSA `mpint d, p, q, iqmp`; ed25519 the 32-byte secret as a string.
 * @example
 * privateBlob(parsePrivateKey(pem)).length
 */
export function privateBlob(key: SshPrivateKey): Buffer {
  return key.type === 'ssh-ed25519'
    ? sshString(key.seed)
    : Buffer.concat([sshMpint(key.d), sshMpint(key.p), sshMpint(key.q), sshMpint(key.iqmp)])
}

function base64Lines(data: Buffer): string[] {
  const text = data.toString('base64')
  const lines: string[] = []
  for (let i = 0; i < text.length; i += 64) lines.push(text.slice(i, i + 64))
  return lines
}
