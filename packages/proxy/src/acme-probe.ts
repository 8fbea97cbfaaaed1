// One plain GET of the ACME directory before acme-client runs: acme-client 5.4 retries a request
// that got no answer, then fails reading its undefined response ("Cannot read properties of
// undefined (reading 'config')"). The probe fails fast with the real cause and what to do.
import { request, type Agent } from 'node:https'
import { CertificateError } from './errors.js'

/**
 * Resolves when `directoryUrl` answers with an ACME directory (JSON with `newNonce`); else
 * throws a CertificateError (`ca-unreachable`, or `order` for an answer that is not one).
 * @example
 * await probeDirectory('https://acme-v02.api.letsencrypt.org/directory', { timeoutMs: 10_000 })
 */
export async function probeDirectory(
  directoryUrl: string,
  o: { agent?: Agent; timeoutMs?: number } = {},
): Promise<void> {
  let answer: { status: number; body: string }
  try {
    answer = await get(directoryUrl, o.agent, o.timeoutMs ?? 10_000)
  } catch (error) {
    const why = (error as { code?: string }).code ?? (error as Error).message
    throw new CertificateError({
      reason: 'ca-unreachable',
      message: `The ACME directory ${directoryUrl} could not be reached (${why}): check directoryUrl, that this machine reaches it over HTTPS (proxy, firewall, DNS), and for a private CA pass its certificate as \`ca\`. Nothing was ordered; retry when it answers.`,
      cause: new Error(String(why)),
    })
  }
  let directory: unknown
  try {
    directory = JSON.parse(answer.body)
  } catch {
    directory = undefined
  }
  if (answer.status !== 200 || typeof (directory as { newNonce?: unknown })?.newNonce !== 'string')
    throw new CertificateError({
      reason: 'order',
      retryable: answer.status >= 500,
      message: `${directoryUrl} answered HTTP ${answer.status}${answer.status === 200 ? ' without an ACME directory' : ''}: check directoryUrl (Let's Encrypt's is acme.directory.letsencrypt.production).`,
    })
}

function get(url: string, agent: Agent | undefined, timeoutMs: number) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { agent, timeout: timeoutMs, headers: { accept: 'application/json' } })
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => body.length < 65_536 && (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      res.on('error', reject)
    })
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
    )
    req.on('error', reject)
    req.end()
  })
}
