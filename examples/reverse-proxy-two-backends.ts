// Two backend containers behind one nginx: routed by host name (api.… → one, www.… → the other)
// and by path (www.…/api/ → the api backend, prefix stripped). ferry writes one site file, runs `nginx -t`, and
// reloads only if the test passes; re-applying the same routes changes nothing.
//
//   FERRY_LAB_STATE=.lab/demo/state.json pnpm exec tsx --conditions=@ferry/source examples/reverse-proxy-two-backends.ts
//
// Without FERRY_LAB_STATE it starts a lab of its own and stops it at the end.
import { request } from 'node:http'
import { configureReverseProxy, runContainer, stopContainer } from 'ferry'
import { uniqueName } from '@ferry/lab'
import { hostPort, labNginx, labSshHost, withLab } from './support/lab.js'

await withLab(async (lab) => {
  const host = labSshHost(lab) // the lab's "instance"; on AWS: server.host from launchWebServer
  const tag = uniqueName('rp') // unique names: other runs may share this nginx and podman
  const names = { api: `api.${tag}.lab.test`, www: `www.${tag}.lab.test` }
  const ports = { api: (await hostPort(8080)).port, www: (await hostPort(8090)).port }
  const docker = { docker: lab.docker.bin } // the lab's podman, behind a docker CLI
  try {
    for (const k of ['api', 'www'] as const)
      await runContainer(
        host,
        {
          name: `${k}-${tag}`,
          image: lab.docker.images.httpd, // answers every request with $MESSAGE
          ports: { [ports[k]]: 80 }, // published on 127.0.0.1 only: nginx is the way in
          env: { MESSAGE: `hello from ${k}` },
        },
        docker,
      )
    const routes = {
      [names.api]: ports.api,
      // stripPrefix: the backend sees /api/x as /x
      [names.www]: { '/': ports.www, '/api/': { port: ports.api, stripPrefix: true } },
    }
    const site = await configureReverseProxy(host, { name: tag, routes, nginx: labNginx(lab) })
    console.log(`wrote ${site.configPath}`)

    for (const [name, path] of [
      [names.api, '/'],
      [names.www, '/'],
      [names.www, '/api/'],
    ] as const)
      console.log(`http://${name}${path} → ${await get(lab.nginx.httpPort, name, path)}`)

    const again = await configureReverseProxy(host, { name: tag, routes, nginx: labNginx(lab) })
    console.log(`same routes again: changed=${again.changed} (no write, no reload)`)
  } finally {
    for (const k of ['api', 'www'])
      await stopContainer(host, `${k}-${tag}`, { ...docker, remove: true })
    await host.run(['rm', '-f', `${lab.nginx.confDir}/${tag}.conf`], { sudo: true })
    await host.run(lab.nginx.reloadCommand, { sudo: true })
    await host.close()
  }
})

/** GET through nginx with a Host header (the lab's names resolve nowhere outside pebble's DNS). */
function get(port: number, name: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { host: name } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve(`HTTP ${res.statusCode} ${body.trim()}`))
    })
      .on('error', reject)
      .end()
  })
}
