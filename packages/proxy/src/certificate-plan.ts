// The input of issueCertificate / renewCertificate, validated in one synchronous pass before
// anything is read, created or sent.
import type { Agent } from 'node:https'
import { isIP } from 'node:net'
import { isAbsolute, resolve } from 'node:path'
import { Secret, validate, ValidationError } from '@ferry/core'
import { acme } from './acme-directory.js'
import type { AcmeBackoff } from './acme-order.js'
import { defaultAccountKeyPath } from './account-key.js'
import { nginxSettings, type NginxOptions, type NginxSettings } from './nginx-options.js'
import { systemResolver, type Resolver } from './preflight.js'
import { checkServerName } from './server-names.js'
import { siteName } from './site-spec.js'

/** What certificate to get, from which CA, for which site. */
export interface CertificateInput {
  /** The names on the certificate (no wildcards: http-01 cannot validate them). */
  domains: readonly string[]
  /** Contact for expiry notices from the CA. */
  email?: string
  /** Default Let's Encrypt production; see `acme.directory`. */
  directoryUrl?: string
  /** Extra CA certificate(s) to trust for the directory's HTTPS (e.g. pebble's). */
  ca?: string | Buffer
  /** Or a whole agent for the directory's HTTPS. */
  httpsAgent?: Agent
  /** Where the account key is kept where ferry runs. Default `~/.ferry/acme/<directory host>/account.key`. */
  accountKeyPath?: string
  /** An account key to use instead of a file. */
  accountKey?: Secret
  /** The site file to switch to HTTPS (made when missing). Default `'ferry'`. */
  site?: string
  nginx?: NginxOptions
  /** The server's public address, for the preflight. */
  address?: string
  /** Resolves names in the preflight. Default the system resolver. */
  resolve?: Resolver
  /** Check DNS and the HTTP port before ordering. Default true. */
  preflight?: boolean
  /** The certificate's key. Default `'ecdsa'` (P-256). */
  keyType?: 'ecdsa' | 'rsa'
  /** How to poll the CA while it validates. */
  backoff?: AcmeBackoff
}

/** A validated CertificateInput. */
export interface CertificatePlan {
  domains: string[]
  email: string | undefined
  directoryUrl: string
  httpsAgent: Agent | undefined
  ca: string | Buffer | undefined
  accountKey: Secret | undefined
  accountKeyPath: string
  site: string
  nginx: NginxSettings
  address: string | undefined
  resolve: Resolver
  preflight: boolean
  keyType: 'ecdsa' | 'rsa'
  backoff: AcmeBackoff
  certPath: string
  keyPath: string
}

/**
 * Validates a certificate request (throws ValidationError naming the field).
 * @example
 * certificatePlan({ domains: ['example.com'], address: '203.0.113.7' }).certPath
 * // '/etc/ssl/ferry/example.com/fullchain.pem'
 */
export function certificatePlan(input: CertificateInput): CertificatePlan {
  const domains = domainList(input?.domains)
  const directoryUrl = httpsUrl(input.directoryUrl ?? acme.directory.letsencrypt.production)
  const nginx = nginxSettings(input.nginx)
  // The names become the HTTPS site's server_name: nginx must be able to hash them.
  for (const d of domains)
    checkServerName(d, { bucketSize: nginx.serverNamesHashBucketSize, field: 'domains' })
  const preflight = input.preflight ?? true
  if (input.keyType !== undefined && input.keyType !== 'ecdsa' && input.keyType !== 'rsa')
    throw new ValidationError({
      field: 'keyType',
      value: input.keyType,
      allowed: '"ecdsa" or "rsa"',
    })
  if (input.accountKey !== undefined && !Secret.is(input.accountKey))
    throw new ValidationError({
      field: 'accountKey',
      value: '(not a Secret)',
      allowed: 'a Secret holding a PEM key',
    })
  const keyPath = input.accountKeyPath ?? defaultAccountKeyPath(directoryUrl)
  const dir = `${nginx.certDir}/${domains[0]}`
  return {
    domains,
    email: input.email === undefined ? undefined : email(input.email),
    directoryUrl,
    httpsAgent: input.httpsAgent,
    ca: input.ca,
    accountKey: input.accountKey,
    accountKeyPath: isAbsolute(keyPath) ? keyPath : resolve(keyPath),
    site: siteName(input.site ?? 'ferry', 'site'),
    nginx,
    address: input.address === undefined ? undefined : address(input.address),
    resolve: input.resolve ?? systemResolver,
    preflight,
    keyType: input.keyType ?? 'ecdsa',
    backoff: input.backoff ?? {},
    certPath: `${dir}/fullchain.pem`,
    keyPath: `${dir}/privkey.pem`,
  }
}

/**
 * The address the preflight checks, from the input or the server; throws when there is none.
 * @example
 * preflightAddress(plan, server.publicIp ?? server.publicDns)
 */
export function preflightAddress(plan: CertificatePlan, fallback?: string): string | undefined {
  if (!plan.preflight) return undefined
  const value = plan.address ?? fallback
  if (value === undefined)
    throw new ValidationError({
      field: 'address',
      value,
      allowed: "the server's public IP or DNS name (or preflight: false)",
    })
  return address(value)
}

function domainList(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 100)
    throw new ValidationError({
      field: 'domains',
      value,
      allowed: 'a list of 1 to 100 DNS names, e.g. ["example.com", "www.example.com"]',
    })
  const names = value.map((d) => validate.dnsName(d, { field: 'domains' }))
  return [...new Set(names)]
}

function httpsUrl(value: unknown): string {
  let url: URL | undefined
  try {
    url = new URL(String(value))
  } catch {
    url = undefined
  }
  if (typeof value !== 'string' || url?.protocol !== 'https:')
    throw new ValidationError({
      field: 'directoryUrl',
      value,
      allowed: 'an https:// ACME directory URL, e.g. acme.directory.letsencrypt.staging',
    })
  return value
}

function email(value: unknown): string {
  if (typeof value !== 'string' || !/^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/.test(value))
    throw new ValidationError({ field: 'email', value, allowed: 'an e-mail address' })
  return value
}

function address(value: unknown): string {
  if (typeof value === 'string' && isIP(value) !== 0) return value
  return validate.dnsName(value, { field: 'address' })
}
