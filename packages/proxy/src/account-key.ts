// The ACME account key lives where ferry runs: created once (0600, in a 0700 directory), reused
// on every issuance and renewal, and never overwritten — an unreadable key is an error, not a
// reason to make a new account.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto'
import { chmod, mkdir, open, readFile, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { Secret, type EventSink } from '@ferry/core'
import { CertificateError } from './errors.js'

/**
 * The default account key path for a directory: `~/.ferry/acme/<directory host>/account.key`.
 * @example
 * defaultAccountKeyPath('https://acme-v02.api.letsencrypt.org/directory')
 * // '/home/me/.ferry/acme/acme-v02.api.letsencrypt.org/account.key'
 */
export function defaultAccountKeyPath(directoryUrl: string, home = homedir()): string {
  const where = new URL(directoryUrl).host.replaceAll(':', '_')
  return join(home, '.ferry', 'acme', where, 'account.key')
}

/**
 * Reads the account key at `path`, or creates it (EC P-256, mode 0600) when there is none.
 * @example
 * const key = await loadAccountKey('/home/me/.ferry/acme/pebble/account.key', { emit })
 */
export async function loadAccountKey(
  path: string,
  o: { emit: EventSink },
): Promise<{ key: Secret; created: boolean }> {
  const existing = await readKey(path, o.emit)
  if (existing) return { key: existing, created: false }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString()
  // 'wx' fails if another process created the key meanwhile: then use that one.
  const file = await open(path, 'wx', 0o600).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EEXIST') return undefined
    throw keyError(path, `cannot create it (${e.code ?? e.message})`)
  })
  if (!file) return { key: (await readKey(path, o.emit))!, created: false }
  try {
    await file.writeFile(pem)
    await chmod(path, 0o600)
  } finally {
    await file.close()
  }
  o.emit({ type: 'info', message: `created ACME account key ${path}` })
  return { key: new Secret(pem, { file: path }), created: true }
}

async function readKey(path: string, emit: EventSink): Promise<Secret | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw keyError(path, `cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  try {
    createPrivateKey(text)
  } catch {
    throw keyError(path, 'it is not a PEM private key; ferry will not replace it')
  }
  const mode = (await stat(path)).mode & 0o777
  if (mode & 0o077)
    emit({
      type: 'warning',
      message: `ACME account key ${path} is mode ${mode.toString(8)}; run chmod 600 on it`,
    })
  return new Secret(text, { file: path })
}

function keyError(path: string, why: string): CertificateError {
  return new CertificateError({
    reason: 'account-key',
    message: `ACME account key ${path}: ${why}. Fix or move the file, or pass accountKeyPath.`,
  })
}
