import { createServer, type Server } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { cmd, Secret, ValidationError, type FerryEvent } from '@ferry/core'
import { freePort } from '@ferry/lab'
import { ContainerError, containerLogs, runContainer, stopContainer } from '../src/index.js'
import { lab, labHost, noCallHost, unique } from './lab.js'

const host = labHost()
const docker = lab().docker.bin
const image = lab().docker.images.httpd
const names: string[] = []
afterAll(async () => {
  for (const name of names) await stopContainer(host, name, { docker, remove: true, timeoutSec: 1 })
  await host.close()
})

const get = async (port: number) => (await fetch(`http://127.0.0.1:${port}/`)).text()
const containerNames = async () =>
  (
    await host.run(cmd(docker, 'ps', '-a', '--format', '{{.Names}}'), { sudo: true, quiet: true })
  ).stdout.split('\n')

async function started(message: string, extra: { healthTimeoutMs?: number } = {}) {
  const name = unique('web')
  names.push(name)
  const port = await freePort()
  const info = await runContainer(
    host,
    {
      name,
      image,
      ports: { [port]: 80 },
      env: { MESSAGE: new Secret(message) },
      health: { http: '/' },
    },
    { docker, ...extra },
  )
  return { name, port, info }
}

describe('runContainer on the lab host (podman behind docker, over SSH with sudo)', () => {
  it('publishes a container whose HTTP answer reaches the published port; env stays off the command line', async () => {
    const events: FerryEvent[] = []
    const name = unique('web')
    names.push(name)
    const port = await freePort()
    const watched = labHost((e) => events.push(e))
    const info = await runContainer(
      watched,
      { name, image, ports: { [port]: 80 }, env: { MESSAGE: new Secret('hello-from-secret-env') } },
      { docker, onEvent: (e) => events.push(e) },
    )
    await watched.close()
    expect(info).toMatchObject({
      name,
      image,
      host: watched.name,
      ports: [{ hostIp: '127.0.0.1', host: port, container: 80, protocol: 'tcp' }],
    })
    expect(info.id).toMatch(/^[0-9a-f]{64}$/)
    expect(info.replaced).toBeUndefined()
    expect((await get(port)).trim()).toBe('hello-from-secret-env')
    expect(JSON.stringify(events)).not.toContain('hello-from-secret-env')
    const commands = events.flatMap((e) => (e.type === 'remote:command' ? [e.command] : []))
    expect(commands.some((c) => c.includes('--env-file') && c.includes(' run -d '))).toBe(true)
    // The env file existed only while docker read it.
    const left = await host.run(
      cmd('sh', '-c', `ls /run/ferry/ 2>/dev/null | grep -c "^${name}\\." || true`),
      { sudo: true },
    )
    expect(left.stdout.trim()).toBe('0')
  })

  it('replaces a container only once the new one is healthy, then removes the old one', async () => {
    const { name, port, info } = await started('version-1')
    const next = await runContainer(
      host,
      { name, image, ports: { [port]: 80 }, env: { MESSAGE: 'version-2' }, health: { http: '/' } },
      { docker },
    )
    expect(next.replaced).toBe(info.id)
    expect(next.id).not.toBe(info.id)
    expect((await get(port)).trim()).toBe('version-2')
    const all = await containerNames()
    expect(all).toContain(name)
    expect(all.filter((n) => n.startsWith(`${name}-ferry-`))).toEqual([])
  })

  it('keeps the old container serving when the replacement exits at once', async () => {
    const { name, port, info } = await started('still-serving')
    const error = await runContainer(
      host,
      { name, image, ports: { [port]: 80 }, command: ['sh', '-c', 'echo boom; exit 1'] },
      { docker },
    ).catch((e: unknown) => e)
    expect(ContainerError.is(error) && error.reason).toBe('unhealthy')
    expect((error as Error).message).toMatch(/\(it stopped\)[\s\S]*boom/)
    expect((await get(port)).trim()).toBe('still-serving')
    const all = await containerNames()
    expect(all.filter((n) => n.startsWith(name))).toEqual([name])
    expect(
      (
        await host.run(cmd(docker, 'container', 'inspect', '--format', '{{.Id}}', name), {
          sudo: true,
        })
      ).stdout.trim(),
    ).toBe(info.id)
  })

  it('redacts a part of a Secret a failing container prints, not only the whole value', async () => {
    const name = unique('leak')
    names.push(name)
    const token = 'tok_9f8e7d6c5b4a39281706f5e4d3' // 30 characters; it prints the first 24
    const error = await runContainer(
      host,
      {
        name,
        image,
        env: { TOKEN: new Secret(token) },
        command: ['sh', '-c', 'echo "got ${TOKEN%??????}"; exit 1'],
      },
      { docker },
    ).catch((e: unknown) => e)
    expect(ContainerError.is(error) && error.reason).toBe('unhealthy')
    expect((error as Error).message).toContain('got [REDACTED]')
    expect((error as Error).message).not.toContain(token.slice(0, 8))
  })

  it('keeps the old container serving when the replacement never listens', async () => {
    const { name, port } = await started('patient')
    const error = await runContainer(
      host,
      { name, image, ports: { [port]: 80 }, command: ['sleep', '600'] },
      { docker, healthTimeoutMs: 3000 },
    ).catch((e: unknown) => e)
    expect(ContainerError.is(error) && error.reason).toBe('unhealthy')
    expect((error as Error).message).toMatch(/within 3 s/)
    expect((await get(port)).trim()).toBe('patient')
  })

  it('without the probe, a failed swap puts the old container back', async () => {
    const { name, port, info } = await started('restored')
    const error = await runContainer(
      host,
      { name, image, ports: { [port]: 80 }, command: ['sh', '-c', 'exit 3'] },
      { docker, probe: false, healthTimeoutMs: 10_000 },
    ).catch((e: unknown) => e)
    expect(ContainerError.is(error) && error.reason).toBe('unhealthy')
    expect((await get(port)).trim()).toBe('restored')
    const id = await host.run(
      cmd(docker, 'container', 'inspect', '--format', '{{.Id}} {{.State.Status}}', name),
      { sudo: true },
    )
    expect(id.stdout.trim()).toBe(`${info.id} running`)
  })

  it('undoes a swap that was cut short (old renamed and stopped, new never started) before replacing', async () => {
    const { name, port, info } = await started('before-the-crash')
    // What a swap leaves when it dies after the rename: its marker (root's, under the state
    // directory) and the old container renamed and stopped.
    const marker = `/var/lib/ferry/${name}.swap`
    await host.run(cmd('sh', '-c', 'mkdir -p /var/lib/ferry && : > "$1"', 'mark', marker), {
      sudo: true,
    })
    await host.run(cmd(docker, 'rename', name, `${name}-ferry-old`), { sudo: true })
    await host.run(cmd(docker, 'stop', '-t', '1', `${name}-ferry-old`), { sudo: true })
    const next = await runContainer(
      host,
      {
        name,
        image,
        ports: { [port]: 80 },
        env: { MESSAGE: 'after-the-crash' },
        health: { http: '/' },
      },
      { docker },
    )
    expect(next.replaced).toBe(info.id)
    expect((await get(port)).trim()).toBe('after-the-crash')
    expect((await containerNames()).filter((n) => n.startsWith(name))).toEqual([name])
    expect(await host.exists(marker, { sudo: true })).toBe(false)
  })

  it('names a taken host port and starts nothing', async () => {
    const port = await freePort()
    const blocker: Server = createServer().listen(port, '127.0.0.1')
    await new Promise((r) => blocker.once('listening', r))
    try {
      const name = unique('web')
      const error = await runContainer(
        host,
        { name, image, ports: { [port]: 80 } },
        { docker },
      ).catch((e: unknown) => e)
      expect(ContainerError.is(error) && [error.reason, error.port]).toEqual(['port-in-use', port])
      expect(await containerNames()).not.toContain(name)
    } finally {
      blocker.close()
    }
  })

  it('names a missing image', async () => {
    const error = await runContainer(
      host,
      { name: unique('web'), image: 'localhost/ferry-missing/none:1' },
      { docker },
    ).catch((e: unknown) => e)
    expect(ContainerError.is(error) && [error.reason, error.image]).toEqual([
      'image-not-found',
      'localhost/ferry-missing/none:1',
    ])
  })

  it('fails clearly without an engine', async () => {
    const error = await runContainer(
      host,
      { name: unique('web'), image },
      { docker: '/nonexistent/docker' },
    ).catch((e: unknown) => e)
    expect(ContainerError.is(error) && error.reason).toBe('no-engine')
    expect((error as Error).message).toMatch(/\/nonexistent\/docker is not installed/)
  })

  it('reads logs and stops a container', async () => {
    const { name, port } = await started('logs')
    await get(port)
    const logs = await containerLogs(host, name, { docker, tail: 10 })
    expect(typeof logs.stdout).toBe('string')
    expect(await stopContainer(host, name, { docker, remove: true, timeoutSec: 2 })).toEqual({
      stopped: true,
      removed: true,
    })
    expect(await containerNames()).not.toContain(name)
    expect(await stopContainer(host, name, { docker })).toEqual({ stopped: false, removed: false })
  })

  it('refuses bad input before any remote command', async () => {
    const bad: [Parameters<typeof runContainer>[1], string][] = [
      [{ name: '-bad', image }, 'name'],
      [{ name: 'ok', image: 'UPPER/Case' }, 'image'],
      [{ name: 'ok', image, ports: { 70000: 80 } }, 'ports[0].host'],
      [{ name: 'ok', image, ports: [{ host: 8080, container: 0 }] }, 'ports[0].container'],
      [{ name: 'ok', image, env: { 'BAD-KEY': 'x' } }, 'env.BAD-KEY'],
      [{ name: 'ok', image, env: { K: new Secret('two\nlines') } }, 'env.K'],
      [{ name: 'ok', image, health: { http: '/' } }, 'health.port'],
    ]
    for (const [spec, field] of bad) {
      const error = await runContainer(noCallHost, spec, { docker }).catch((e: unknown) => e)
      expect(ValidationError.is(error) && error.field).toBe(field)
    }
    const error = await runContainer(
      noCallHost,
      { name: 'ok', image },
      { docker: 'docker; rm -rf /' },
    ).catch((e: unknown) => e)
    expect(ValidationError.is(error) && error.field).toBe('docker')
    for (const field of ['envDir', 'stateDir'] as const) {
      const bad = await runContainer(
        noCallHost,
        { name: 'ok', image },
        { [field]: 'relative/dir' },
      ).catch((e: unknown) => e)
      expect(ValidationError.is(bad) && bad.field).toBe(field)
    }
  })
})
