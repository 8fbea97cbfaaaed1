// runContainer's fast path on the lab: a fresh container in ONE remote command, and every case
// it must hand to the full path (or fail typed) without leaving anything behind.
import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { cmd, render, Secret, type FerryEvent, type Host } from '@ferry/core'
import { freePort } from '@ferry/lab'
import { ContainerError, runContainer, stopContainer } from '../src/index.js'
import { lab, labHost, unique } from './lab.js'

const docker = lab().docker.bin
const image = lab().docker.images.httpd
const host = labHost()
const names: string[] = []
afterAll(async () => {
  for (const name of names) await stopContainer(host, name, { docker, remove: true, timeoutSec: 1 })
  await host.close()
})

/** A lab host that records every remote call (argv as sent, secrets revealed) and its events. */
function recordingHost() {
  const events: FerryEvent[] = []
  const inner = labHost((e) => events.push(e))
  const calls: string[] = []
  const host: Host = {
    name: inner.name,
    run(argv, o) {
      calls.push(render(argv, { reveal: true }))
      return inner.run(argv, o)
    },
    writeFile(path, data, o) {
      calls.push(`writeFile ${path}`)
      return inner.writeFile(path, data, o)
    },
    writeFiles(files, o) {
      calls.push(`writeFiles ${files.map((f) => f.path).join(' ')}`)
      return inner.writeFiles(files, o)
    },
    readFile(path, o) {
      calls.push(`readFile ${path}`)
      return inner.readFile(path, o)
    },
    exists(path, o) {
      calls.push(`exists ${path}`)
      return inner.exists(path, o)
    },
    close: () => inner.close(),
  }
  return { host, calls, events, onEvent: (e: FerryEvent) => events.push(e) }
}

const sh = (script: string, ...args: string[]) =>
  host.run(cmd('sh', '-c', script, 'test', ...args), { sudo: true, check: false, quiet: true })
const get = async (port: number) => (await fetch(`http://127.0.0.1:${port}/`)).text()
const inspect = async (name: string) =>
  (
    await host.run(
      cmd(docker, 'container', 'inspect', '--format', '{{.Id}} {{.State.Status}}', name),
      {
        sudo: true,
        check: false,
        quiet: true,
      },
    )
  ).stdout.trim()
const allNames = async () =>
  (
    await host.run(cmd(docker, 'ps', '-a', '--format', '{{.Names}}'), { sudo: true, quiet: true })
  ).stdout.split('\n')
const leftFiles = async (name: string) =>
  (
    await sh('ls -a /run/ferry /var/lib/ferry 2>/dev/null | grep -F -- "$1." || true', name)
  ).stdout.trim()
const fresh = () => {
  const name = unique('fast')
  names.push(name)
  return name
}

describe('runContainer fast path (lab podman over SSH)', () => {
  it('starts a fresh container in one remote command; secrets only on stdin, never in argv or events', async () => {
    const name = fresh()
    const port = await freePort()
    const r = recordingHost()
    const secret = `fast-secret-${name}`
    const info = await runContainer(
      r.host,
      {
        name,
        image,
        ports: { [port]: 80 },
        env: { MESSAGE: new Secret(secret) },
        health: { http: '/' },
      },
      { docker, onEvent: r.onEvent },
    )
    await r.host.close()
    expect(r.calls).toHaveLength(1)
    expect(r.calls[0]).toContain('--pull=never')
    expect(r.calls[0]).not.toContain(secret)
    expect(JSON.stringify(r.events)).not.toContain(secret)
    expect((await get(port)).trim()).toBe(secret)
    // The ports it reports without a readback are what the engine reports.
    const published = await host.run(cmd(docker, 'port', name), { sudo: true, quiet: true })
    expect(published.stdout.trim()).toBe(`80/tcp -> 127.0.0.1:${port}`)
    expect(info).toEqual({
      name,
      id: (await inspect(name)).split(' ')[0],
      image,
      host: r.host.name,
      ports: [{ hostIp: '127.0.0.1', host: port, container: 80, protocol: 'tcp' }],
    })
    // Env file and cidfile lived only while docker run needed them; no swap marker was left.
    expect(await leftFiles(name)).toBe('')
  })

  it('pulls a missing image on the full path, then starts it', async () => {
    const name = fresh()
    const port = await freePort()
    const wanted = `localhost/ferry-pull-${name}:1`
    // A registry stand-in: `pull` of the wanted reference tags the lab's image with it.
    const shim = `/tmp/ferry-pull-${name}/docker`
    await sh(
      'mkdir -p "${1%/*}" && printf \'#!/bin/sh\\n[ "$1" = pull ] && exec %s tag %s "$2"\\nexec %s "$@"\\n\' "$2" "$3" "$2" > "$1" && chmod 755 "$1"',
      shim,
      docker,
      image,
    )
    try {
      const r = recordingHost()
      const info = await runContainer(
        r.host,
        { name, image: wanted, ports: { [port]: 80 }, env: { MESSAGE: 'pulled' } },
        { docker: shim, onEvent: r.onEvent },
      )
      await r.host.close()
      expect(info.image).toBe(wanted)
      expect((await get(port)).trim()).toBe('pulled')
      expect(r.calls[0]).toContain('--pull=never')
      expect(r.calls.some((c) => c.includes(`${shim} pull ${wanted}`))).toBe(true)
      expect(await leftFiles(name)).toBe('')
    } finally {
      await stopContainer(host, name, { docker, remove: true, timeoutSec: 1 })
      await host.run(cmd(docker, 'rmi', wanted), { sudo: true, check: false, quiet: true })
      await sh('rm -rf "${1%/*}"', shim)
    }
  })

  it('replaces a container of the same name through the probe (ports held by the old one)', async () => {
    const name = fresh()
    const port = await freePort()
    const first = await runContainer(host, { name, image, ports: { [port]: 80 } }, { docker })
    const r = recordingHost()
    const next = await runContainer(
      r.host,
      { name, image, ports: { [port]: 80 }, env: { MESSAGE: 'second' } },
      { docker, onEvent: r.onEvent },
    )
    await r.host.close()
    expect(next.replaced).toBe(first.id)
    expect(r.calls.some((c) => c.includes(` run -d --name ${name}-ferry-probe `))).toBe(true)
    expect((await get(port)).trim()).toBe('second')
    expect((await allNames()).filter((n) => n.startsWith(name))).toEqual([name])
    expect(await leftFiles(name)).toBe('')
  })

  it('replaces a container without ports when docker run finds the name in use', async () => {
    const name = fresh()
    const spec = { name, image, command: ['sleep', '600'], init: true }
    const first = await runContainer(host, spec, { docker, healthTimeoutMs: 10_000 })
    const next = await runContainer(host, spec, { docker, healthTimeoutMs: 10_000 })
    expect(next.replaced).toBe(first.id)
    expect(await inspect(name)).toBe(`${next.id} running`)
    expect((await allNames()).filter((n) => n.startsWith(name))).toEqual([name])
  })

  it('leaves a run to the full path while a swap marker exists, and clears it', async () => {
    const name = fresh()
    const port = await freePort()
    // A swap that died after it set its marker (nothing renamed yet): the fast path must not
    // decide alone; the full path looks, finds nothing to undo and clears the marker.
    const marker = `/var/lib/ferry/${name}.swap`
    await sh('mkdir -p /var/lib/ferry && : > "$1"', marker)
    const r = recordingHost()
    const info = await runContainer(
      r.host,
      { name, image, ports: { [port]: 80 }, env: { MESSAGE: 'after-marker' } },
      { docker },
    )
    await r.host.close()
    expect(info.replaced).toBeUndefined()
    expect(r.calls.length).toBeGreaterThan(1)
    expect(r.calls).toContain(`rm -f -- ${marker}`)
    expect((await get(port)).trim()).toBe('after-marker')
    expect(await leftFiles(name)).toBe('')
  })

  it('a port held where ss cannot see it: typed port-in-use, the created container removed', async () => {
    const name = fresh()
    const port = await freePort()
    // Bound, not listening: `ss -l` misses it, the engine's bind fails.
    const holder: ChildProcess = spawn('python3', [
      '-c',
      `import socket,sys,time\ns=socket.socket(); s.bind(('127.0.0.1', ${port})); print('ok', flush=True); time.sleep(60)`,
    ])
    await new Promise((resolve) => holder.stdout!.once('data', resolve))
    try {
      const r = recordingHost()
      const error = await runContainer(
        r.host,
        { name, image, ports: { [port]: 80 } },
        { docker },
      ).catch((e: unknown) => e)
      await r.host.close()
      expect(ContainerError.is(error) && [error.reason, error.port]).toEqual(['port-in-use', port])
      expect(r.calls).toHaveLength(1)
      expect(await allNames()).not.toContain(name)
      expect(await leftFiles(name)).toBe('')
    } finally {
      holder.kill()
    }
  })

  it('never removes a running container of that name when the new image is missing', async () => {
    const name = fresh()
    const port = await freePort()
    const first = await runContainer(
      host,
      { name, image, ports: { [port]: 80 }, env: { MESSAGE: 'prod' } },
      { docker },
    )
    const other = await freePort()
    const error = await runContainer(
      host,
      { name, image: `localhost/ferry-missing/${name}:1`, ports: { [other]: 80 } },
      { docker },
    ).catch((e: unknown) => e)
    expect(ContainerError.is(error) && error.reason).toBe('image-not-found')
    expect(await inspect(name)).toBe(`${first.id} running`)
    expect((await get(port)).trim()).toBe('prod')
  })

  it('a new container that fails its health check is removed; its logs are scrubbed of secrets', async () => {
    const name = fresh()
    const port = await freePort()
    const secret = `leaky-${name}`
    const error = await runContainer(
      host,
      {
        name,
        image,
        ports: { [port]: 80 },
        env: { TOKEN: new Secret(secret) },
        command: ['sh', '-c', 'echo "token is $TOKEN"; exit 1'],
      },
      { docker },
    ).catch((e: unknown) => e)
    expect(ContainerError.is(error) && error.reason).toBe('unhealthy')
    expect((error as Error).message).toMatch(/\(it stopped\)[\s\S]*token is \[REDACTED\]/)
    expect((error as Error).message).not.toContain(secret)
    expect(await allNames()).not.toContain(name)
    expect(await leftFiles(name)).toBe('')
  })

  it('a new container that never answers is removed after the timeout', async () => {
    const name = fresh()
    const port = await freePort()
    const error = await runContainer(
      host,
      { name, image, ports: { [port]: 80 }, command: ['sleep', '600'], init: true },
      { docker, healthTimeoutMs: 2000 },
    ).catch((e: unknown) => e)
    expect(ContainerError.is(error) && error.reason).toBe('unhealthy')
    expect((error as Error).message).toMatch(/within 2 s/)
    expect(await allNames()).not.toContain(name)
  })
})
