// A loopback TCP proxy for fault tests: counts connections and bytes, can start late, and can
// cut every connection once a number of client bytes have passed.
import { createConnection, createServer, type Server, type Socket } from 'node:net'

export interface TcpProxy {
  port: number
  connections: number
  bytesUp: number
  /** Cut all connections once this many client→server bytes have passed. */
  cutAfter(bytes: number): Promise<void>
  close(): Promise<void>
}

/** Listens on a free loopback port and forwards to `target`; `listen: false` reserves the port only after `start()`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  let cut: { at: number; done: () => void } | undefined
  const proxy = {
    port: 0,
    connections: 0,
    bytesUp: 0,
    cutAfter: (bytes: number) =>
      new Promise<void>((done) => (cut = { at: proxy.bytesUp + bytes, done })),
    close: () =>
      new Promise<void>(
        (resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve())),
      ),
  }
  const server: Server = createServer((client) => {
    proxy.connections++
    const upstream = createConnection(target)
    sockets.add(client).add(upstream)
    client.on('data', (chunk: Buffer) => {
      proxy.bytesUp += chunk.length
      if (cut && proxy.bytesUp >= cut.at) {
        const c = cut
        cut = undefined
        sockets.forEach((s) => s.destroy())
        c.done()
        return
      }
      upstream.write(chunk)
    })
    upstream.pipe(client)
    for (const s of [client, upstream])
      s.on('error', () => {}).on(
        'close',
        () => (client.destroy(), upstream.destroy(), sockets.delete(s)),
      )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.port = (server.address() as { port: number }).port
  return proxy
}

/** A free loopback port with nothing listening on it (yet). */
export async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as { port: number }
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}
