import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { connect } from 'node:net'

/** A finished HTTP(S) exchange: status and body text. */
export interface HttpAnswer {
  status: number
  body: string
}

/** Options for {@link httpGet}: method, body, headers, a CA to trust for https, a timeout. */
export interface HttpGetOptions {
  method?: string
  body?: string
  headers?: Record<string, string>
  ca?: string
  timeoutMs?: number
}

/**
 * A small HTTP(S) client for readiness probes (no dependency, any status counts as an answer).
 *
 * @example
 * const { status, body } = await httpGet(`http://127.0.0.1:${port}/`)
 */
export function httpGet(url: string, options: HttpGetOptions = {}): Promise<HttpAnswer> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ca: options.ca,
        timeout: options.timeoutMs ?? 2_000,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        )
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in time`)))
    req.on('error', reject)
    req.end(options.body)
  })
}

/**
 * Connects to 127.0.0.1:port and resolves with the first bytes the server sends (an SSH banner)
 * or '' once connected when `expectGreeting` is false.
 *
 * @example
 * (await tcpGreeting(port)).startsWith('SSH-2.0-')
 */
export function tcpGreeting(port: number, expectGreeting = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 2_000 })
    socket.once('connect', () => {
      if (!expectGreeting) {
        socket.destroy()
        resolve('')
      }
    })
    socket.once('data', (data: Buffer) => {
      socket.destroy()
      resolve(data.toString('utf8'))
    })
    socket.once('timeout', () => socket.destroy(new Error(`no greeting on port ${port}`)))
    socket.once('error', reject)
  })
}
