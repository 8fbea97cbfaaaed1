// issueCertificate: make sure nginx answers ACME challenges for the names, check DNS and port 80,
// order from the CA (running where ferry runs), then install certificate + key + the site
// switched to HTTPS in one nginx transaction. Any failure leaves the previous site serving.
import { Agent } from 'node:https'
import { createEmitter, type EventSink, type Host } from '@ferry/core'
import { loadAccountKey } from './account-key.js'
import { orderCertificate } from './acme-order.js'
import { applyNginxChange } from './apply-change.js'
import { certificateInfo } from './certificate-info.js'
import {
  certificatePlan,
  preflightAddress,
  type CertificateInput,
  type CertificatePlan,
} from './certificate-plan.js'
import { challengeFiles } from './challenge-files.js'
import { checkDns, probeHttp } from './preflight.js'
import { proxyLimits } from './routes.js'
import { renderSiteConfig } from './site-config.js'
import { openSite, ownSpec, siteChanges, writeSiteState } from './site-files.js'
import { withCertificate, type SiteSpec } from './site-spec.js'

/** An installed certificate. */
export interface CertificateResult {
  domains: string[]
  /** ISO 8601. */
  notAfter: string
  certPath: string
  keyPath: string
}

/** Side-effect options. */
export interface CertificateOptions {
  onEvent?: EventSink
  signal?: AbortSignal
}

/**
 * Issues a certificate with ACME http-01 and switches the site to HTTPS (TLS 1.2+, HTTP → HTTPS
 * redirect that still serves ACME challenges). The previous certificate and site keep serving
 * when any step fails.
 * @example
 * await issueCertificate(host, {
 *   domains: ['api.example.com'], email: 'ops@example.com', address: server.publicIp,
 *   directoryUrl: acme.directory.letsencrypt.staging,
 * })
 */
export async function issueCertificate(
  host: Host,
  input: CertificateInput,
  options: CertificateOptions = {},
): Promise<CertificateResult> {
  return issueWithPlan(host, certificatePlan(input), options)
}

/**
 * Issues with an already validated plan (shared by renewCertificate and the steps).
 * @example
 * await issueWithPlan(host, certificatePlan(input))
 */
export async function issueWithPlan(
  host: Host,
  plan: CertificatePlan,
  options: CertificateOptions = {},
): Promise<CertificateResult> {
  const emit = createEmitter(options.onEvent)
  const { nginx, signal } = { ...plan, signal: options.signal }
  const address = preflightAddress(plan)
  const accountKey = plan.accountKey ?? (await loadAccountKey(plan.accountKeyPath, { emit })).key
  const { paths, current } = await openSite(host, nginx, { site: plan.site, emit, signal })
  const link = paths.enabledPath ? paths.configPath : null
  const staged = withNames(ownSpec(current, paths) ?? emptySpec(plan.site), plan.domains)
  const stagedText = renderSiteConfig(staged, nginx)
  // Names the site does not serve yet get an HTTP server that answers challenges first.
  const didStage = stagedText !== current.text || link !== current.link
  if (didStage)
    await writeSiteState(
      host,
      { paths, state: { text: stagedText, link } },
      { nginx, signal, emit },
    )
  try {
    if (plan.preflight) {
      emit({
        type: 'info',
        message: `preflight: DNS and port ${nginx.httpPort} for ${plan.domains.join(', ')}`,
      })
      await checkDns(plan.domains, address!, plan.resolve)
      await probeHttp(host, nginx, { domains: plan.domains, address: address! })
    }
    const { certificate, privateKey } = await orderCertificate({
      directoryUrl: plan.directoryUrl,
      accountKey,
      email: plan.email,
      domains: plan.domains,
      keyType: plan.keyType,
      httpsAgent: plan.httpsAgent ?? (plan.ca ? new Agent({ ca: plan.ca }) : undefined),
      backoff: plan.backoff,
      challenge: challengeFiles(host, nginx),
      emit,
    })
    const info = certificateInfo(certificate)
    const cert = { domains: plan.domains, certPath: plan.certPath, keyPath: plan.keyPath }
    const text = renderSiteConfig(withCertificate(staged, cert), nginx)
    emit({ type: 'info', message: `installing the certificate for ${plan.domains.join(', ')}` })
    await applyNginxChange(
      host,
      [
        { path: plan.certPath, content: certificate, mode: 0o644 },
        { path: plan.keyPath, content: privateKey, mode: 0o600 },
        ...siteChanges(paths, { text, link }),
      ],
      { nginx, signal, emit },
    )
    return { ...cert, notAfter: info.notAfter.toISOString() }
  } catch (error) {
    if (didStage)
      await writeSiteState(host, { paths, state: current }, { nginx }).catch(() =>
        emit({ type: 'warning', message: `could not restore ${paths.configPath} on ${host.name}` }),
      )
    throw error
  }
}

function emptySpec(name: string): SiteSpec {
  return { name, sites: [], limits: proxyLimits({}), certificates: [] }
}

// Adds a route-less HTTP server for each name the site does not have yet.
function withNames(spec: SiteSpec, domains: readonly string[]): SiteSpec {
  const have = new Set(spec.sites.map((s) => s.serverName))
  const added = domains
    .filter((d) => !have.has(d))
    .map((serverName) => ({ serverName, routes: [] }))
  return { ...spec, sites: [...spec.sites, ...added] }
}
