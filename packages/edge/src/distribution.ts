// Finds a CloudFront distribution by id, by its *.cloudfront.net domain, or by an alias (CNAME).
import type { CloudFrontClient, DistributionSummary } from '@aws-sdk/client-cloudfront'
import { FerryError, validate, ValidationError, type EventSink } from '@ferry/core'
import { awsPages } from '@ferry/core'
import { cloudFrontSdk } from './clients.js'

/** A distribution named by id, or by a domain to look up. */
export type DistributionRef = { kind: 'id'; id: string } | { kind: 'domain'; domain: string }

/** A distribution as ferry found it. */
export interface FoundDistribution {
  id: string
  domainName: string | undefined
  aliases: string[]
}

const ID = /^[A-Z0-9]{10,20}$/

/**
 * Reads a distribution reference: an id such as `E2QWRUHAPOMQZL`, or a domain name (its
 * `dxxxx.cloudfront.net` name or one of its aliases), lower-cased.
 * @example
 * distributionRef('www.example.com') // { kind: 'domain', domain: 'www.example.com' }
 */
export function distributionRef(value: unknown, field = 'distribution'): DistributionRef {
  if (typeof value === 'string' && ID.test(value)) return { kind: 'id', id: value }
  if (typeof value === 'string' && value.includes('.')) {
    try {
      return { kind: 'domain', domain: validate.dnsName(value, { field }) }
    } catch {
      // fall through to the message that names both forms
    }
  }
  throw new ValidationError({
    field,
    value,
    allowed:
      'a distribution id such as E2QWRUHAPOMQZL, its domain d111111abcdef8.cloudfront.net, or one of its aliases such as www.example.com',
  })
}

/**
 * Resolves a reference to a distribution, paging through ListDistributions for a domain: an
 * exact match of the domain name or an alias wins, else a wildcard alias (`*.example.com`).
 * An id is returned as is (CreateInvalidation reports an unknown one).
 * @example
 * const { id } = await findDistribution(cf, distributionRef('www.example.com'))
 */
export async function findDistribution(
  cf: CloudFrontClient,
  ref: DistributionRef,
  options: { onEvent?: EventSink; pageSize?: number } = {},
): Promise<FoundDistribution> {
  if (ref.kind === 'id') return { id: ref.id, domainName: undefined, aliases: [] }
  const { paginateListDistributions } = await cloudFrontSdk()
  const pages = paginateListDistributions(
    { client: cf, ...(options.pageSize ? { pageSize: options.pageSize } : {}) },
    {},
  )
  const wildcardMatches: FoundDistribution[] = []
  let seen = 0
  const where = { service: 'CloudFront', operation: 'ListDistributions', onEvent: options.onEvent }
  for await (const page of awsPages(where, pages)) {
    for (const summary of page.DistributionList?.Items ?? []) {
      seen++
      const found = summaryOf(summary)
      const names = [found.domainName?.toLowerCase(), ...found.aliases]
      if (names.includes(ref.domain)) return found
      if (found.aliases.some((alias) => wildcardCovers(alias, ref.domain)))
        wildcardMatches.push(found)
    }
  }
  if (wildcardMatches.length === 1) return wildcardMatches[0]!
  if (wildcardMatches.length > 1)
    throw new FerryError(
      'CONFLICT',
      `${ref.domain} matches wildcard aliases of ${wildcardMatches.length} distributions (${wildcardMatches.map((d) => d.id).join(', ')}); pass the distribution id instead.`,
    )
  throw new FerryError(
    'NOT_FOUND',
    `No CloudFront distribution has the domain name or alias ${ref.domain} (searched ${seen}). Check the name, or pass the distribution id.`,
  )
}

function summaryOf(summary: DistributionSummary): FoundDistribution {
  return {
    id: summary.Id ?? '',
    domainName: summary.DomainName,
    aliases: (summary.Aliases?.Items ?? []).map((a) => a.toLowerCase()),
  }
}

/** `*.example.com` covers `www.example.com`, not `example.com` nor `a.b.example.com`. */
function wildcardCovers(alias: string, domain: string): boolean {
  if (!alias.startsWith('*.')) return false
  const rest = domain.slice(domain.indexOf('.') + 1)
  return domain.includes('.') && rest === alias.slice(2)
}
