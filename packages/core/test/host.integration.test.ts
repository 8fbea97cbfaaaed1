import { connect, createServer } from 'node:net'
import { randomBytes } from 'node:crypto'
import { labInfo } from '@ferry/lab/vitest'
import { afterAll, describe, expect, test } from 'vitest'
import { CommandError, ConnectionError, FerryError, TimeoutError } from '../src/errors.js'
import type { FerryEvent } from '../src/events.js'
import { createSshHost, type SshTarget } from '../src/host.js'
import { Secret } from '../src/secret.js'
import { cmd } from '../src/shell.js'
import { freePort, startTcpProxy } from './tcp-proxy.js'

const lab = labInfo()
const target = (over: Partial<SshTarget> = {}): SshTarget => ({
  host: lab.ssh.host,
  port: lab.ssh.port,
  username: lab.ssh.username,
  privateKey: new Secret(lab.ssh.privateKey),
  hostKey: { fingerprint: lab.ssh.hostKeyFingerprint },
  ...over,
})
const dir = `${lab.dir}/core-host-${process.pid}-${randomBytes(3).toString('hex')}`
const host = createSshHost(target())
afterAll(() => host.close())

describe('SshHost against the lab sshd', () => {
  test('runs argv as the deploy user, and as root with sudo', async () => {
    expect((await host.run(cmd('id', '-un'))).stdout.trim()).toBe(lab.ssh.username)
    expect((await host.run(cmd('id', '-u'), { sudo: true })).stdout.trim()).toBe('0')
    expect((await host.run(cmd('printf', '%s', "it's $HOME `x`"))).stdout).toBe("it's $HOME `x`")
  })

  test('writes a file as the deploy user with sudo: root-owned, mode kept, content exact', async () => {
    await host.run(cmd('mkdir', '-p', dir), { sudo: true })
    const path = `${dir}/secret.key`
    await host.writeFile(path, new Secret('PRIVATE KEY\n'), {
      sudo: true,
      mode: 0o600,
      owner: 'root',
    })
    expect((await host.run(cmd('stat', '-c', '%a %U', path), { sudo: true })).stdout.trim()).toBe(
      '600 root',
    )
    expect((await host.readFile(path, { sudo: true })).toString()).toBe('PRIVATE KEY\n')
    expect(await host.exists(path, { sudo: true })).toBe(true)
    expect(await host.exists(`${dir}/missing`, { sudo: true })).toBe(false)
    await expect(host.readFile(path)).rejects.toSatisfy(
      (e) => CommandError.is(e) && e.exitCode === 1,
    )
    // A failed write names the file, not the shell script that writes it.
    const missing = `${dir}/no-such-dir/x.conf`
    await expect(host.writeFile(missing, 'x', { sudo: true })).rejects.toSatisfy(
      (e) =>
        CommandError.is(e) &&
        e.command === `write ${missing} (sudo)` &&
        !e.message.includes('sha256sum'),
    )
    // A rewrite without mode/owner keeps the existing ones.
    await host.writeFile(path, 'rotated\n', { sudo: true })
    expect((await host.run(cmd('stat', '-c', '%a %U', path), { sudo: true })).stdout.trim()).toBe(
      '600 root',
    )
  })

  test('writes several files in one command, the secret one never in an event', async () => {
    const events: unknown[] = []
    const h = createSshHost(target(), { onEvent: (e) => events.push(e) })
    const files = [`${dir}/batch/cert.pem`, `${dir}/batch/key.pem`]
    await h.writeFiles(
      [
        { path: files[0]!, data: 'CERT\n', mode: 0o644, mkdirs: true },
        { path: files[1]!, data: new Secret('BATCH KEY\n'), mode: 0o600 },
      ],
      { sudo: true },
    )
    const stat = await h.run(cmd('stat', '-c', '%a %U %s', files), { sudo: true })
    expect(stat.stdout.trim().split('\n')).toEqual(['644 root 5', '600 root 10'])
    expect(JSON.stringify(events)).not.toContain('BATCH KEY')
    await h.close()
  })

  test('streams output lines as events and redacts secrets in events and errors', async () => {
    const events: FerryEvent[] = []
    const h = createSshHost(target(), { onEvent: (e) => events.push(e) })
    try {
      await h.run(
        cmd(
          'sh',
          '-c',
          'echo one; echo two; echo "token=$1" >&2; exit 3',
          'sh',
          new Secret('hunter22'),
        ),
      )
      throw new Error('expected failure')
    } catch (error) {
      expect(CommandError.is(error)).toBe(true)
      const e = error as CommandError
      expect([e.exitCode, e.stderrTail]).toEqual([3, 'token=[REDACTED]'])
      expect(e.message).not.toContain('hunter22')
    } finally {
      await h.close()
    }
    const lines = events
      .filter((e) => e.type === 'remote:stdout' || e.type === 'remote:stderr')
      .map((e) => ('line' in e ? e.line : ''))
    expect(lines).toEqual(['one', 'two', 'token=[REDACTED]'])
    expect(JSON.stringify(events)).not.toContain('hunter22')
  })

  test('one connection serves many commands, also concurrently', async () => {
    const proxy = await startTcpProxy(lab.ssh)
    const h = createSshHost(target({ port: proxy.port }))
    try {
      const outs = await Promise.all(Array.from({ length: 8 }, (_, i) => h.run(cmd('echo', i))))
      await h.run(cmd('true'))
      expect(outs.map((o) => o.stdout.trim())).toEqual(['0', '1', '2', '3', '4', '5', '6', '7'])
      expect(proxy.connections).toBe(1)
    } finally {
      await h.close()
      await proxy.close()
    }
  })

  test('a connection cut in the middle of a large write leaves the old file; the next call reconnects', async () => {
    const proxy = await startTcpProxy(lab.ssh)
    const h = createSshHost(target({ port: proxy.port }), {
      connectRetry: { attempts: 3, minDelayMs: 100 },
    })
    const path = `${dir}/big.bin`
    try {
      await h.run(cmd('mkdir', '-p', dir), { sudo: true })
      await h.writeFile(path, 'old content\n', { sudo: true })
      const big = randomBytes(24 * 1024 * 1024)
      const cut = proxy.cutAfter(4 * 1024 * 1024)
      const write = h.writeFile(path, big, { sudo: true })
      await expect(write).rejects.toSatisfy((e) => ConnectionError.is(e) && e.retryable)
      await cut
      // The remote side notices the cut a moment later; the file must be old or new, never partial.
      const check = createSshHost(target())
      try {
        for (let i = 0; i < 20; i++) {
          const leftovers = (
            await check.run(cmd('sh', '-c', 'ls -a "$1" | grep -c ferry- || true', 'sh', dir), {
              sudo: true,
            })
          ).stdout.trim()
          if (leftovers === '0') break
          await new Promise((r) => setTimeout(r, 100))
        }
        expect((await check.readFile(path, { sudo: true })).toString()).toBe('old content\n')
        expect(
          (
            await check.run(cmd('sh', '-c', 'ls -a "$1" | grep -c ferry- || true', 'sh', dir), {
              sudo: true,
            })
          ).stdout.trim(),
        ).toBe('0')
      } finally {
        await check.close()
      }
      // The same host object reconnects and completes the write.
      await h.writeFile(path, big, { sudo: true })
      expect((await h.readFile(path, { sudo: true })).equals(big)).toBe(true)
      expect(proxy.connections).toBe(2)
    } finally {
      await h.close()
      await proxy.close()
    }
  })

  test('connect retries with backoff until sshd answers', async () => {
    const port = await freePort()
    const events: FerryEvent[] = []
    const h = createSshHost(target({ port }), {
      onEvent: (e) => events.push(e),
      connectRetry: { attempts: 30, minDelayMs: 100, maxDelayMs: 300 },
    })
    // Nothing listens yet; after a while a forwarder to the real sshd comes up on that port.
    const late = new Promise<() => Promise<void>>((resolve) =>
      setTimeout(() => {
        const forwarder = createServer((client) => {
          const upstream = connect(lab.ssh.port, lab.ssh.host)
          client.pipe(upstream).pipe(client)
          for (const s of [client, upstream]) s.on('error', () => {})
        })
        forwarder.listen(port, '127.0.0.1', () =>
          resolve(() => new Promise((r) => forwarder.close(() => r()))),
        )
      }, 800),
    )
    try {
      expect((await h.run(cmd('echo', 'up'))).stdout.trim()).toBe('up')
      expect(events.filter((e) => e.type === 'ssh:retry').length).toBeGreaterThan(0)
    } finally {
      await h.close()
      await (
        await late
      )()
    }
  })

  test('a host key that does not match is refused at once, with both fingerprints', async () => {
    const wrong = 'SHA256:' + Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '')
    const events: FerryEvent[] = []
    const h = createSshHost(target({ hostKey: { fingerprint: wrong } }), {
      onEvent: (e) => events.push(e),
    })
    const error = await h.run(cmd('true')).catch((e: unknown) => e)
    expect(FerryError.is(error) && error.code).toBe('HOST_KEY_MISMATCH')
    expect(String((error as Error).message)).toContain(lab.ssh.hostKeyFingerprint)
    expect(String((error as Error).message)).toContain(wrong)
    expect(events.filter((e) => e.type === 'ssh:connect')).toHaveLength(1)
  })

  test('known_hosts and public-key pins are accepted when they match', async () => {
    for (const hostKey of [
      { knownHosts: lab.ssh.knownHostsPath },
      { publicKey: lab.ssh.hostPublicKey },
    ]) {
      const h = createSshHost(target({ hostKey }))
      expect((await h.run(cmd('echo', 'ok'))).stdout.trim()).toBe('ok')
      await h.close()
    }
  })

  test('a command past its timeout is killed; an aborted signal stops it', async () => {
    await expect(host.run(cmd('sleep', 30), { timeout: 300 })).rejects.toSatisfy((e) =>
      TimeoutError.is(e),
    )
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    await expect(host.run(cmd('sleep', 30), { signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    })
    expect((await host.run(cmd('echo', 'still usable'))).stdout.trim()).toBe('still usable')
  })
})
