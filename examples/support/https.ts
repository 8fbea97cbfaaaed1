// A real HTTPS request to a name served by nginx: TLS verified against a given root (the lab's
// pebble root, not the system store), SNI set to the name, on a fresh connection.
import { request } from 'node:https'
import type { TLSSocket } from 'node:tls'

/** What came back, and who signed the certificate that was served. */
export interface HttpsReply {
  status: number
  body: string
  /** The served leaf's subject alternative names, issuer and expiry. */
  certificate: { subjectAltName: string; issuer: string; validTo: string }
}

/**
 * GET `https://<name>:<port><path>` at 127.0.0.1, trusting only `ca`.
 * @example
 * const reply = await httpsGet({ name: 'api.lab.test', port: lab.nginx.httpsPort, ca: lab.acme.rootCa })
 */
export function httpsGet(o: {
  name: string
  port: number
  ca: string
  path?: string
  address?: string
}): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: o.address ?? '127.0.0.1',
        port: o.port,
        path: o.path ?? '/',
        servername: o.name, // SNI: nginx picks the site and its certificate by this name
        headers: { host: `${o.name}:${o.port}` },
        ca: o.ca, // only this root is trusted: a certificate it did not sign fails the request
        agent: false,
        timeout: 10_000,
      },
      (res) => {
        const peer = (res.socket as TLSSocket).getPeerCertificate()
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            certificate: {
              subjectAltName: peer.subjectaltname ?? '',
              issuer: String(peer.issuer?.CN ?? ''),
              validTo: peer.valid_to ?? '',
            },
          }),
        )
      },
    )
    req.on('timeout', () => req.destroy(new Error(`no answer from ${o.name} within 10 s`)))
    req.on('error', reject)
    req.end()
  })
}
