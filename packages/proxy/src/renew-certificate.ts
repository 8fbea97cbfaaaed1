// renewCertificate: read the installed certificate on the host and re-issue only when it expires
// within N days (or is missing, or lacks a name); report its expiry either way.
import { createEmitter, systemClock, ValidationError, type Clock, type Host } from '@ferry/core'
import { daysLeft, readCertificate } from './certificate-info.js'
import {
  certificatePlan,
  preflightAddress,
  type CertificateInput,
  type CertificatePlan,
} from './certificate-plan.js'
import {
  issueWithPlan,
  type CertificateOptions,
  type CertificateResult,
} from './issue-certificate.js'

/** A certificate request plus when to renew. */
export interface RenewInput extends CertificateInput {
  /** Renew when fewer than this many days remain. Default 30. */
  renewWithinDays?: number
}

/** The certificate after the check: renewed or not, and its expiry. */
export interface RenewResult extends CertificateResult {
  renewed: boolean
  /** Whole days until `notAfter`. */
  daysLeft: number
}

/**
 * Renews the certificate when it expires within `renewWithinDays` (default 30); otherwise does
 * nothing. Reports the expiry either way.
 * @example
 * const r = await renewCertificate(host, { domains: ['example.com'], address: ip, email })
 * if (!r.renewed) console.log(`valid for ${r.daysLeft} more days`)
 */
export async function renewCertificate(
  host: Host,
  input: RenewInput,
  options: CertificateOptions & { clock?: Clock } = {},
): Promise<RenewResult> {
  const within = renewWithin(input?.renewWithinDays)
  return renewWithPlan(host, { plan: certificatePlan(input), within }, options)
}

/**
 * Renews with a validated plan (shared with the step).
 * @example
 * await renewWithPlan(host, { plan: certificatePlan(input), within: 30 })
 */
export async function renewWithPlan(
  host: Host,
  o: { plan: CertificatePlan; within: number },
  options: CertificateOptions & { clock?: Clock } = {},
): Promise<RenewResult> {
  const { plan, within } = o
  preflightAddress(plan) // a missing address is an input error, found before any command
  const emit = createEmitter(options.onEvent)
  const now = (options.clock ?? systemClock).now()
  const installed = await readCertificate(host, plan.certPath, { sudo: plan.nginx.sudo })
  const covers = installed && plan.domains.every((d) => installed.domains.includes(d))
  if (installed && covers) {
    const left = daysLeft(installed.notAfter, now)
    const until = installed.notAfter.toISOString()
    if (left >= within) {
      emit({
        type: 'info',
        message: `certificate for ${plan.domains.join(', ')} valid until ${until} (${left} days): not renewing`,
      })
      return {
        domains: plan.domains,
        notAfter: until,
        certPath: plan.certPath,
        keyPath: plan.keyPath,
        renewed: false,
        daysLeft: left,
      }
    }
    emit({ type: 'info', message: `certificate expires ${until} (${left} days left): renewing` })
  } else {
    emit({
      type: 'info',
      message: `no certificate for ${plan.domains.join(', ')} at ${plan.certPath}: issuing`,
    })
  }
  const issued = await issueWithPlan(host, plan, options)
  return { ...issued, renewed: true, daysLeft: daysLeft(new Date(issued.notAfter), now) }
}

/**
 * Validates `renewWithinDays` (default 30).
 * @example
 * renewWithin(undefined) // 30
 */
export function renewWithin(value: unknown): number {
  if (value === undefined) return 30
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 3650)
    throw new ValidationError({
      field: 'renewWithinDays',
      value,
      allowed: 'whole days from 0 to 3650',
    })
  return value
}
