// One ACME order with acme-client, run where ferry runs: account (reused by key), order, http-01
// for each name (files placed through `challenge`, always removed), CSR with a fresh key,
// certificate. acme-client is imported lazily so routing alone never loads it.
import type { Agent } from 'node:https'
import { FerryError, Secret, type EventSink } from '@ferry/core'
import { probeDirectory } from './acme-probe.js'
import { CertificateError } from './errors.js'
import type { ChallengeFiles } from './challenge-files.js'

/** How often to poll the CA while it validates (acme-client's backoff). */
export interface AcmeBackoff {
  attempts?: number
  minMs?: number
  maxMs?: number
}

/** Everything one order needs. */
export interface OrderInput {
  directoryUrl: string
  accountKey: Secret
  email: string | undefined
  domains: readonly string[]
  keyType: 'ecdsa' | 'rsa'
  /** Used for requests to the directory's origin only (e.g. trusting pebble's CA). */
  httpsAgent: Agent | undefined
  backoff: AcmeBackoff
  challenge: ChallengeFiles
  emit: EventSink
}

/**
 * Orders a certificate; resolves to the PEM chain and its new private key (a Secret).
 * @example
 * const { certificate, privateKey } = await orderCertificate({ directoryUrl, accountKey, ... })
 */
export async function orderCertificate(
  input: OrderInput,
): Promise<{ certificate: string; privateKey: Secret }> {
  // Fails fast, with the real cause, where acme-client would retry and then misreport.
  await probeDirectory(input.directoryUrl, { agent: input.httpsAgent })
  const lib = await import('acme-client')
  const origin = new URL(input.directoryUrl).origin
  const agent = input.httpsAgent
  const interceptor = agent
    ? lib.axios.interceptors.request.use((config) => {
        if (config.url?.startsWith(origin)) config.httpsAgent = agent
        return config
      })
    : undefined
  try {
    const client = new lib.Client({
      directoryUrl: input.directoryUrl,
      accountKey: input.accountKey.reveal(),
      backoffAttempts: input.backoff.attempts ?? 10,
      backoffMin: input.backoff.minMs ?? 2_000,
      backoffMax: input.backoff.maxMs ?? 30_000,
    })
    await client.createAccount({
      termsOfServiceAgreed: true,
      ...(input.email ? { contact: [`mailto:${input.email}`] } : {}),
    })
    const order = await client.createOrder({
      identifiers: input.domains.map((value) => ({ type: 'dns', value })),
    })
    for (const authz of await client.getAuthorizations(order)) {
      if (authz.status === 'valid') continue
      const challenge = authz.challenges.find((c) => c.type === 'http-01')
      if (!challenge)
        throw new CertificateError({
          reason: 'order',
          domain: authz.identifier.value,
          message: `The CA offers no http-01 challenge for ${authz.identifier.value}.`,
        })
      const keyAuthorization = await client.getChallengeKeyAuthorization(challenge)
      await input.challenge.put(challenge.token, keyAuthorization)
      try {
        input.emit({ type: 'info', message: `validating ${authz.identifier.value} (http-01)` })
        await client.completeChallenge(challenge)
        await client.waitForValidStatus(challenge)
      } catch (error) {
        throw orderError(error, authz.identifier.value)
      } finally {
        await input.challenge.remove(challenge.token).catch(() =>
          input.emit({
            type: 'warning',
            message: `could not remove challenge file ${challenge.token}`,
          }),
        )
      }
    }
    const keyPem =
      input.keyType === 'rsa'
        ? await lib.crypto.createPrivateRsaKey(2048)
        : await lib.crypto.createPrivateEcdsaKey('P-256')
    const [, csr] = await lib.crypto.createCsr(
      { commonName: input.domains[0], altNames: [...input.domains] },
      keyPem,
    )
    const finalized = await client.finalizeOrder(order, csr)
    const certificate = await client.getCertificate(finalized)
    return { certificate, privateKey: new Secret(keyPem.toString()) }
  } catch (error) {
    throw orderError(error, undefined)
  } finally {
    if (interceptor !== undefined) lib.axios.interceptors.request.eject(interceptor)
  }
}

const NETWORK =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|certificate|self.signed|socket hang up/i

// acme-client throws plain Errors (and axios errors that carry request config): keep only the
// message, so nothing from the signed requests can reach an error or an event.
function orderError(error: unknown, domain: string | undefined): FerryError {
  if (FerryError.is(error)) return error
  const e = error as { message?: string; code?: string; response?: unknown }
  const message = e?.message ?? String(error)
  // acme-client 5.4 retries a request that got no response, then fails reading its
  // undefined response: that TypeError means the directory was never reached.
  const unreachable =
    !e?.response &&
    (NETWORK.test(e?.code ?? '') || NETWORK.test(message) || /reading 'config'/.test(message))
  return new CertificateError({
    reason: unreachable ? 'ca-unreachable' : 'order',
    domain,
    message: unreachable
      ? `The ACME CA stopped answering${domain ? ` while validating ${domain}` : ''} (${/reading 'config'/.test(message) ? 'no response' : message}): check the network to it and retry.`
      : `The CA refused the order${domain ? ` for ${domain}` : ''}: ${message}`,
    cause: new Error(message),
  })
}
