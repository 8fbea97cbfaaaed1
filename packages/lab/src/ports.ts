import { createServer, type Server } from 'node:net'

/**
 * `count` distinct free TCP ports on 127.0.0.1: each is bound on port 0 and read back, and all
 * stay bound until every one is chosen so the same call never returns a port twice.
 *
 * @example
 * const [http, https] = await freePorts(2)
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = []
  try {
    for (let i = 0; i < count; i++) servers.push(await listenOnZero())
    return servers.map((s) => {
      const address = s.address()
      if (address === null || typeof address === 'string') throw new Error('no TCP address')
      return address.port
    })
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  }
}

/**
 * One free TCP port on 127.0.0.1, e.g. for a container's published host port in a test.
 *
 * @example
 * const port = await freePort()
 * await run(docker.bin, ['run', '-d', '-p', `${port}:80`, docker.images.httpd])
 */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1)
  return port!
}

function listenOnZero(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}
