// Pipeline steps for issueCertificate and renewCertificate on the context's server. The preflight
// checks the server's public address unless the input names one. No undo: a certificate is not
// un-issued, and the site it switched to HTTPS keeps serving.
import { defineStep, render, sudo, type PlanEntry, type ServerRef, type Step } from '@ferry/core'
import {
  certificatePlan,
  preflightAddress,
  type CertificateInput,
  type CertificatePlan,
} from './certificate-plan.js'
import { label } from './configure-reverse-proxy-step.js'
import { issueWithPlan, type CertificateResult } from './issue-certificate.js'
import { nginxCommands } from './nginx-commands.js'
import {
  renewWithin,
  renewWithPlan,
  type RenewInput,
  type RenewResult,
} from './renew-certificate.js'

/**
 * A pipeline step that issues a certificate on `ctx.server` and switches its site to HTTPS.
 * @example
 * pipeline(...).use(issueCertificateStep({ domains: ['api.example.com'], email: 'ops@example.com' }))
 */
export function issueCertificateStep(
  input: CertificateInput,
): Step<{ server: ServerRef }, { certificate: CertificateResult }> {
  const plan = certificatePlan(input)
  return defineStep({
    name: 'issueCertificate',
    async run(ctx: { server: ServerRef }, env) {
      const host = await env.host(ctx.server)
      const certificate = await issueWithPlan(host, withAddress(plan, ctx.server), {
        onEvent: env.onEvent,
        signal: env.signal,
      })
      return { certificate }
    },
    plan: (ctx) => certificatePlanEntries(plan, ctx.server),
  })
}

/**
 * A pipeline step that renews the certificate on `ctx.server` when it expires within
 * `renewWithinDays` (default 30), and reports its expiry either way.
 * @example
 * pipeline(...).use(renewCertificateStep({ domains: ['api.example.com'], renewWithinDays: 20 }))
 */
export function renewCertificateStep(
  input: RenewInput,
): Step<{ server: ServerRef }, { certificate: RenewResult }> {
  const plan = certificatePlan(input)
  const within = renewWithin(input.renewWithinDays)
  return defineStep({
    name: 'renewCertificate',
    async run(ctx: { server: ServerRef }, env) {
      const host = await env.host(ctx.server)
      const certificate = await renewWithPlan(
        host,
        { plan: withAddress(plan, ctx.server), within },
        { onEvent: env.onEvent, signal: env.signal, clock: env.clock },
      )
      return { certificate }
    },
    plan: (ctx) => certificatePlanEntries(plan, ctx.server),
  })
}

function withAddress(plan: CertificatePlan, server: ServerRef): CertificatePlan {
  return { ...plan, address: preflightAddress(plan, server.publicIp ?? server.publicDns) }
}

function certificatePlanEntries(plan: CertificatePlan, server: ServerRef): PlanEntry[] {
  const host = label(server)
  const shown = (argv: Parameters<typeof render>[0]) => render(plan.nginx.sudo ? sudo(argv) : argv)
  const address = String(
    plan.address ?? server.publicIp ?? server.publicDns ?? '{{server.publicIp}}',
  )
  return [
    { kind: 'note', text: `ACME account key ${plan.accountKey ? '(given)' : plan.accountKeyPath}` },
    { kind: 'remote', host, command: shown(nginxCommands.prepareWebroot(plan.nginx)) },
    ...(plan.preflight
      ? [
          {
            kind: 'note' as const,
            text: `preflight: ${plan.domains.join(', ')} resolve to ${address}; GET a probe on port ${plan.nginx.httpPort}`,
          },
        ]
      : []),
    {
      kind: 'note',
      text: `order from ${plan.directoryUrl} with http-01 in ${plan.nginx.webroot}/.well-known/acme-challenge/`,
    },
    {
      kind: 'note',
      text: `install ${plan.certPath} and ${plan.keyPath} (0600), switch site "${plan.site}" to HTTPS on port ${plan.nginx.httpsPort}`,
    },
    { kind: 'remote', host, command: shown(nginxCommands.test(plan.nginx)) },
    { kind: 'remote', host, command: shown(nginxCommands.reload(plan.nginx)) },
  ]
}
