// The certificate both sides upload: self-signed for the benchmark's domain, made once per run.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DOMAIN } from './hosts.js'

/** A certificate and its private key, as PEM text. */
export interface CertMaterial {
  cert: string
  key: string
}

/**
 * Makes a self-signed EC certificate for DOMAIN with openssl, in `dir`.
 * @example
 * const { cert, key } = makeCertificate(dir)
 */
export function makeCertificate(dir: string): CertMaterial {
  const [certPath, keyPath] = [join(dir, 'bench-cert.pem'), join(dir, 'bench-key.pem')]
  execFileSync(
    'openssl',
    [
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ['-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', `/CN=${DOMAIN}`],
      ['-addext', `subjectAltName=DNS:${DOMAIN}`],
    ].flat(),
    { stdio: 'ignore' },
  )
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') }
}
