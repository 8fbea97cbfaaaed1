import { randomBytes } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCommand } from './run'

/** Files of pebble's HTTPS listener: a CA and a localhost/127.0.0.1 leaf it signed. */
export interface ListenerCerts {
  caPath: string
  certPath: string
  keyPath: string
}

/**
 * Makes (once per directory) the CA and server certificate pebble's HTTPS listener uses;
 * Debian's pebble ships no test certificates. ACME clients trust `caPath`.
 *
 * @example
 * const { caPath, certPath, keyPath } = await ensureListenerCerts(`${labDir}/pebble`)
 */
export async function ensureListenerCerts(dir: string): Promise<ListenerCerts> {
  const caKey = join(dir, 'listener-ca.key')
  const certs = {
    caPath: join(dir, 'listener-ca.pem'),
    certPath: join(dir, 'listener.pem'),
    keyPath: join(dir, 'listener.key'),
  }
  if (existsSync(certs.caPath) && existsSync(certs.certPath) && existsSync(certs.keyPath)) {
    return certs
  }
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  await runCommand('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    caKey,
    '-out',
    certs.caPath,
    '-days',
    '3650',
    '-subj',
    '/CN=ferry-lab pebble listener CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ])
  const csr = join(dir, 'listener.csr')
  await runCommand('openssl', [
    'req',
    '-new',
    ...ec,
    '-keyout',
    certs.keyPath,
    '-out',
    csr,
    '-subj',
    '/CN=localhost',
  ])
  const ext = join(dir, 'listener.ext')
  writeFileSync(
    ext,
    [
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  )
  await runCommand('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    certs.caPath,
    '-CAkey',
    caKey,
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    '825',
    '-extfile',
    ext,
    '-out',
    certs.certPath,
  ])
  return certs
}
