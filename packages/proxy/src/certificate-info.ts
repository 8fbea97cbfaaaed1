// What a certificate says about itself (names, expiry), parsed with node:crypto's X509Certificate.
import { X509Certificate } from 'node:crypto'
import type { Host } from '@ferry/core'
import { readOptional } from './remote-read.js'

/** The parts of a certificate ferry decides on. */
export interface CertificateInfo {
  /** The DNS names in its subjectAltName. */
  domains: string[]
  notBefore: Date
  notAfter: Date
  issuer: string
  serialNumber: string
}

/**
 * Parses the first certificate of a PEM chain.
 * @example
 * certificateInfo(pem).notAfter // Date
 */
export function certificateInfo(pem: string): CertificateInfo {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0]
  if (!first) throw new Error('no PEM certificate found')
  const cert = new X509Certificate(first)
  const domains = (cert.subjectAltName ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase())
  return {
    domains,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
  }
}

/**
 * Reads and parses the certificate installed at `path` on the host; undefined when there is none
 * (or it does not parse).
 * @example
 * const info = await readCertificate(host, '/etc/ssl/ferry/example.com/fullchain.pem', { sudo: true })
 */
export async function readCertificate(
  host: Host,
  path: string,
  options: { sudo: boolean },
): Promise<CertificateInfo | undefined> {
  const pem = await readOptional(host, path, options)
  if (!pem) return undefined
  try {
    return certificateInfo(pem.toString('utf8'))
  } catch {
    return undefined
  }
}

/**
 * Whole days from `now` until `notAfter` (negative once expired).
 * @example
 * daysLeft(info.notAfter, Date.now()) // 89
 */
export function daysLeft(notAfter: Date, now: number): number {
  return Math.floor((notAfter.getTime() - now) / 86_400_000)
}
