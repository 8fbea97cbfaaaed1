// Host names nginx would refuse are refused by ferry first, and '*' really is a catch-all: on an
// nginx of its own (the lab's, like the distros', already has a default_server on the port).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ValidationError } from '@ferry/core'
import { startNginx, uniqueName, type NginxInstance } from '@ferry/lab'
import { labInfo } from '@ferry/lab/vitest'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { configureReverseProxy, type NginxOptions } from '../src/index.js'
import { fetchVia, labSshHost, nginxOptionsOf, startBackend, type Seen } from './helpers.js'

const lab = labInfo()
const host = labSshHost(lab)
const name = uniqueName('names')
let dir = ''
let own: NginxInstance
let nginx: NginxOptions
let backend: Awaited<ReturnType<typeof startBackend>>
const seenBy = async (hostName: string) => {
  const r = await fetchVia({ port: own.httpPort, host: hostName, path: '/x' })
  return r.headers['content-type'] === 'application/json' ? (JSON.parse(r.body) as Seen) : r.status
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-proxy-names-'))
  chmodSync(dir, 0o755)
  own = await startNginx({ dir: join(dir, 'nginx') })
  nginx = nginxOptionsOf(own)
  backend = await startBackend('catch-all')
})
afterAll(async () => {
  await own?.stop()
  await host.close()
  await backend?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('server names', () => {
  test("'*' answers every name no other route takes, beside nginx's own default server", async () => {
    await configureReverseProxy(host, {
      name,
      nginx,
      routes: { '*': backend.port, [`${name}.example.com`]: {} },
    })
    expect(await seenBy('anything.example.net')).toMatchObject({ backend: 'catch-all' })
    expect(await seenBy('203.0.113.9')).toMatchObject({ backend: 'catch-all' })
    // The named host keeps its own (empty) routes.
    expect(await seenBy(`${name}.example.com`)).toBe(404)
  })

  test("a name longer than nginx's default bucket holds works once the host's nginx holds it", async () => {
    const long = `${'a'.repeat(39)}-${name}.example.com`.slice(-60)
    const routes = { [long]: backend.port }
    const refused = await configureReverseProxy(host, { name, nginx, routes }).catch((e) => e)
    expect(ValidationError.is(refused) && refused.field).toBe(`routes["${long}"]`)
    // The host's own config raises the bucket (ferry never writes it); told so, ferry goes ahead.
    await host.writeFile(`${own.confDir}/00-hash.conf`, 'server_names_hash_bucket_size 128;\n', {
      sudo: true,
    })
    await configureReverseProxy(host, {
      name,
      nginx: { ...nginx, serverNamesHashBucketSize: 128 },
      routes,
    })
    expect(await seenBy(long)).toMatchObject({ backend: 'catch-all' })
  })
})
