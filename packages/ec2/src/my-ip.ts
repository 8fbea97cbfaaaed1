// The caller's public address, for `ssh: 'me'`. Injectable: tests (and machines without
// internet) pass their own resolver.
import { isIP } from 'node:net'
import { ConnectionError } from '@ferry/core'

/** Resolves the caller's public IPv4 or IPv6 address. */
export type MyIpResolver = () => Promise<string>

/**
 * Where the default resolver asks: AWS's own echo service.
 * @example
 * checkMyIp({ url: CHECKIP_URL })
 */
export const CHECKIP_URL = 'https://checkip.amazonaws.com'

/**
 * Asks checkip.amazonaws.com (or `$FERRY_CHECKIP_URL`: the lab answers with the address it
 * treats as yours) for the caller's public address, with a timeout.
 * @example
 * await openPorts(server, { ssh: 'me' }, { myIp: () => checkMyIp({ timeoutMs: 3000 }) })
 */
export async function checkMyIp(
  options: { timeoutMs?: number; url?: string } = {},
): Promise<string> {
  const url = options.url ?? (process.env.FERRY_CHECKIP_URL || CHECKIP_URL)
  let text: string
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    text = (await response.text()).trim()
  } catch (error) {
    throw new ConnectionError({
      host: new URL(url).hostname,
      port: 443,
      message: `Could not find your public address at ${url} (${error instanceof Error ? error.message : String(error)}): pass myIp, or a CIDR instead of 'me'.`,
      cause: error,
    })
  }
  if (isIP(text) === 0)
    throw new ConnectionError({
      host: new URL(url).hostname,
      port: 443,
      retryable: false,
      message: `${url} answered "${text.slice(0, 40)}", not an IP address.`,
    })
  return text
}
