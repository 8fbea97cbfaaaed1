// How a journal holds secrets without holding them: a value that lives in a file (a private key
// ferry wrote or read) is stored as that file's path and SHA-256; any other value is sealed
// with AES-256-GCM under a key that never lives in the journal (FERRY_JOURNAL_KEY, else
// ~/.ferry/journal.key, 0600). Copied into a CI cache or a bug report, a journal gives nothing.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { FerryError } from './errors.js'
import { Secret } from './secret.js'

/**
 * The environment variable holding the journal key (32 bytes, base64) where no key file is.
 * @example
 * // FERRY_JOURNAL_KEY=$(openssl rand -base64 32) ferry deploy …
 * JOURNAL_KEY_ENV // 'FERRY_JOURNAL_KEY'
 */
export const JOURNAL_KEY_ENV = 'FERRY_JOURNAL_KEY'

/** Where a journal's sealed secrets are opened from. */
export interface JournalKeySource {
  /** The key itself (32 bytes); else FERRY_JOURNAL_KEY, else `file`. */
  key?: Buffer
  /** Default `~/.ferry/journal.key`, created (0600 in 0700) when first needed. */
  file?: string
}

/** A journal's stored form of a Secret. */
export type StoredSecret =
  { $secretFile: string; sha256: string } | { $sealed: string; keyId: string }

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')

/**
 * The stored form of a secret: a reference to its file, or the value sealed under the key.
 * @example
 * storeSecret(new Secret(pem, { file: '/home/me/.ssh/web.pem' })) // { $secretFile: …, sha256: … }
 */
export function storeSecret(secret: Secret, source: JournalKeySource = {}): StoredSecret {
  const value = secret.reveal()
  if (secret.file) return { $secretFile: secret.file, sha256: sha256(value) }
  const key = journalKey(source, { create: true })
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
  return {
    $sealed: Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64'),
    keyId: keyId(key),
  }
}

/**
 * The Secret for a stored form (read, checked and opened on first `reveal()`), or undefined when
 * `value` is not one. Also reads `{ "$secret": value }` from journals of older versions.
 * @example
 * JSON.parse(text, (_k, v) => loadSecret(v) ?? v)
 */
export function loadSecret(value: unknown, source: JournalKeySource = {}): Secret | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  const keys = Object.keys(v).sort().join(',')
  if (keys === '$secret') return new Secret(String(v.$secret))
  if (keys === '$secretFile,sha256') {
    const file = String(v.$secretFile)
    return new Secret(() => fromFile(file, String(v.sha256)), { file })
  }
  if (keys === '$sealed,keyId') return new Secret(() => unseal(v, source))
  return undefined
}

function fromFile(file: string, expected: string): string {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw precondition(`its file ${file} cannot be read`, error)
  }
  if (sha256(text) !== expected) throw precondition(`its file ${file} changed since the run`)
  return text
}

function unseal(v: Record<string, unknown>, source: JournalKeySource): string {
  const key = journalKey(source, { create: false })
  if (!key || keyId(key) !== v.keyId)
    throw precondition(`it is sealed under journal key ${String(v.keyId)}, which is not here`)
  const data = Buffer.from(String(v.$sealed), 'base64')
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12))
  decipher.setAuthTag(data.subarray(12, 28))
  return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8')
}

const precondition = (why: string, cause?: unknown) =>
  new FerryError(
    'PRECONDITION',
    `A secret of this run's journal cannot be read back: ${why}. Restore it (the file, or ${JOURNAL_KEY_ENV} / ~/.ferry/journal.key), or start a new run id.`,
    { cause },
  )

const keyId = (key: Buffer) => sha256(key).slice(0, 16)

let cached: { file: string; key: Buffer } | undefined

function journalKey(source: JournalKeySource, o: { create: true }): Buffer
function journalKey(source: JournalKeySource, o: { create: false }): Buffer | undefined
function journalKey(source: JournalKeySource, o: { create: boolean }): Buffer | undefined {
  if (source.key) return source.key
  const env = process.env[JOURNAL_KEY_ENV]
  if (env) return Buffer.from(env, 'base64')
  const file = source.file ?? join(homedir(), '.ferry', 'journal.key')
  if (cached?.file === file) return cached.key
  let key: Buffer | undefined
  try {
    key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !o.create) return undefined
    key = randomBytes(32)
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 })
    // 'wx': never replace a key another process just made (its journals would be unreadable).
    try {
      writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
    } catch {
      key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
    }
  }
  cached = { file, key }
  return key
}
