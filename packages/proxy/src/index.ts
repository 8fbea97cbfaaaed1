// @ferry/proxy: nginx as a reverse proxy (nginx-conf) and ACME certificates (acme-client) on a
// server reached over SSH.
export {
  configureReverseProxy,
  reverseProxyPlan,
  type ReverseProxyInput,
  type ReverseProxyResult,
  type ReverseProxyPlan,
  type ProxyOptions,
} from './configure-reverse-proxy.js'
export {
  configureReverseProxyStep,
  type ProxyContext,
  type ServerContext,
} from './configure-reverse-proxy-step.js'
export {
  issueCertificate,
  type CertificateResult,
  type CertificateOptions,
} from './issue-certificate.js'
export { renewCertificate, type RenewInput, type RenewResult } from './renew-certificate.js'
export { issueCertificateStep, renewCertificateStep } from './certificate-steps.js'
export { certificatePlan, type CertificateInput, type CertificatePlan } from './certificate-plan.js'
export { acme } from './acme-directory.js'
export { defaultAccountKeyPath, loadAccountKey } from './account-key.js'
export { certificateInfo, readCertificate, type CertificateInfo } from './certificate-info.js'
export { systemResolver, type Resolver } from './preflight.js'
export type { AcmeBackoff } from './acme-order.js'
export {
  nginxSettings,
  sitePaths,
  type NginxOptions,
  type NginxSettings,
  type NginxLayout,
  type SitePaths,
} from './nginx-options.js'
export {
  proxySites,
  proxyLimits,
  ACME_PATH,
  type Routes,
  type RouteTarget,
  type HostRoutes,
  type Upstream,
  type RoutesInput,
  type ProxySite,
  type ProxyRoute,
  type ProxyLimits,
} from './routes.js'
export { renderSiteConfig, upgradeVariable } from './site-config.js'
export { parseSpec, siteName, type SiteSpec, type InstalledCertificate } from './site-spec.js'
export { nginxCommands } from './nginx-commands.js'
export {
  NginxError,
  CertificateError,
  type NginxPhase,
  type NginxServing,
  type CertificateFailure,
} from './errors.js'
