import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HEALTH_STOPPED, healthCommand } from './container-scripts.js'
import {
  FAST_NO_ENGINE,
  FAST_PORTS_TAKEN,
  FAST_RUN_FAILED,
  FAST_SWAP_MARKER,
  fastRunCommand,
  swapMarker,
} from './fast-run-script.js'

const dir = mkdtempSync(join(tmpdir(), 'ferry-fast-'))
const log = join(dir, 'calls.log')
// A fake engine: logs each call; `run` behaves as $RUN says (ok, bind: created then failed,
// image: failed before creating anything); `inspect` answers $STATE.
const fake = join(dir, 'docker')
writeFileSync(
  fake,
  `#!/bin/bash
echo "$*" >> ${log}
case $1 in
  run)
    cid=; for a in "$@"; do case $a in --cidfile=*) cid=\${a#--cidfile=};; esac; done
    [ -n "$FAKE_ENV_COPY" ] && for a in "$@"; do [ "$prev" = --env-file ] && { cat "$a" > "$FAKE_ENV_COPY"; stat -c %a "$a" >> "$FAKE_ENV_COPY"; }; prev=$a; done
    case $RUN in
      ok) echo c0ffee > "$cid"; echo "Trying to pull... (noise)"; echo c0ffee ;;
      bind) echo c0ffee > "$cid"; echo 'listen tcp4 127.0.0.1:8080: bind: address already in use' >&2; exit 126 ;;
      image) echo 'Error: x: image not known' >&2; exit 125 ;;
    esac ;;
  container) echo "$STATE" ;;
  port) echo '80/tcp -> 0.0.0.0:8080' ;;
esac
exit 0
`,
  { mode: 0o755 },
)
let port = 0
const server = createServer()
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as AddressInfo).port
})
afterAll(() => server.close())

function fastRun(o: {
  run?: string
  state?: string
  env?: string
  ports?: number[]
  health?: { kind: 'tcp' | 'http' | 'running'; port?: number }
  marker?: string
  bin?: string
  readback?: boolean
}) {
  writeFileSync(log, '')
  const envFile = o.env === undefined ? undefined : join(dir, 'e.env')
  const argv = fastRunCommand({
    bin: o.bin ?? fake,
    name: 'api',
    marker: o.marker ?? join(dir, 'none.swap'),
    cidFile: join(dir, 'run', 'api.1.cid'),
    envFile,
    health: o.health ?? { kind: 'tcp', port },
    timeoutSec: 2,
    readback: o.readback,
    ports: (o.ports ?? []).map((p) => ({ protocol: 'tcp', port: p })),
    run: [
      fake,
      'run',
      '-d',
      `--cidfile=${join(dir, 'run', 'api.1.cid')}`,
      ...(envFile ? ['--env-file', envFile] : []),
      'img',
    ],
  }).map(String)
  const r = spawnSync(argv[0]!, argv.slice(1), {
    input: o.env ?? '',
    encoding: 'utf8',
    env: {
      ...process.env,
      RUN: o.run ?? 'ok',
      STATE: o.state ?? 'running 0',
      FAKE_ENV_COPY: join(dir, 'env-seen'),
    },
  })
  const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean)
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls, envFile }
}

describe('fastRunCommand', () => {
  it('passes its inputs as arguments, the docker run argv last', () => {
    const argv = fastRunCommand({
      bin: 'docker',
      name: 'api',
      marker: '/var/lib/ferry/api.swap',
      cidFile: '/run/ferry/api.1a.cid',
      envFile: '/run/ferry/api.1a.env',
      health: { kind: 'http', port: 8080, path: '/healthz' },
      timeoutSec: 60,
      ports: [
        { protocol: 'tcp', port: 8080 },
        { protocol: 'udp', port: 53 },
      ],
      run: ['docker', 'run', '-d', 'img'],
    })
    expect(argv.slice(0, 2)).toEqual(['bash', '-c'])
    expect(argv.slice(3)).toEqual([
      'ferry-run',
      'docker',
      '/var/lib/ferry/api.swap',
      '/run/ferry/api.1a.cid',
      '/run/ferry/api.1a.env',
      'api',
      'http',
      8080,
      '/healthz',
      60,
      '0',
      2,
      'tcp:8080',
      'udp:53',
      'docker',
      'run',
      '-d',
      'img',
    ])
    expect(() => execFileSync('bash', ['-n', '-c', String(argv[2])])).not.toThrow()
  })

  it('starts, checks health by probing first (no engine call when it answers) and prints the id', () => {
    const r = fastRun({ run: 'ok' })
    expect([r.status, r.stdout]).toEqual([0, 'c0ffee\n'])
    expect(r.calls.map((c) => c.split(' ')[0])).toEqual(['run'])
    expect(existsSync(join(dir, 'run', 'api.1.cid'))).toBe(false)
  })

  it('writes the env file from stdin 0600 for docker run only', () => {
    const r = fastRun({ run: 'ok', env: 'TOKEN=t0p\n' })
    expect(r.status).toBe(0)
    expect(readFileSync(join(dir, 'env-seen'), 'utf8')).toBe('TOKEN=t0p\n600\n')
    expect(existsSync(r.envFile!)).toBe(false)
  })

  it('reads the ports back only when asked', () => {
    const r = fastRun({ run: 'ok', readback: true })
    expect([r.status, r.stdout]).toEqual([0, 'c0ffee\n80/tcp -> 0.0.0.0:8080\n'])
  })

  it('leaves to the full path: no engine, a swap marker, a taken port', () => {
    expect(fastRun({ bin: join(dir, 'nonexistent') }).status).toBe(FAST_NO_ENGINE)
    const marker = join(dir, 'api.swap')
    execFileSync('sh', ['-c', String(swapMarker.set(marker)[2]), 'x', marker])
    expect(statSync(marker).mode & 0o777).toBe(0o600)
    expect(fastRun({ marker }).status).toBe(FAST_SWAP_MARKER)
    const taken = fastRun({ ports: [port] })
    expect([taken.status, taken.stdout, taken.calls]).toEqual([
      FAST_PORTS_TAKEN,
      `tcp:${port}\n`,
      [],
    ])
  })

  it('after a failed run removes only the container this run created (its cidfile)', () => {
    const bind = fastRun({ run: 'bind', env: 'K=v\n' })
    expect(bind.status).toBe(FAST_RUN_FAILED)
    expect(bind.stderr).toContain('address already in use')
    expect(bind.calls.slice(1)).toEqual(['kill c0ffee', 'rm -f c0ffee'])
    expect(existsSync(bind.envFile!)).toBe(false)
    const image = fastRun({ run: 'image' })
    expect([image.status, image.calls.length]).toEqual([FAST_RUN_FAILED, 1])
  })

  it('fails the health check fast when the container stopped', () => {
    const r = fastRun({ run: 'ok', state: 'exited 0', health: { kind: 'tcp', port: 1 } })
    expect([r.status, r.stdout]).toEqual([HEALTH_STOPPED, 'c0ffee\n'])
    expect(r.calls.slice(1)).toEqual([
      'container inspect --format {{.State.Status}} {{.RestartCount}} api',
    ])
  })
})

describe('healthCommand (the same loop)', () => {
  it('backs off from 0.05 s while the container runs but does not answer', () => {
    writeFileSync(log, '')
    const argv = healthCommand(fake, 'api', { kind: 'tcp', port: 1, timeoutSec: 2 }).map(String)
    const r = spawnSync(argv[0]!, argv.slice(1), { env: { ...process.env, STATE: 'running 0' } })
    const inspects = readFileSync(log, 'utf8').split('\n').filter(Boolean).length
    expect(r.status).toBe(4)
    // 1–2 s (whole seconds) of 0.05, 0.1, 0.2, 0.4, 0.8, 1 s waits: 5 to 8 failed probes, the
    // first two without an inspect (a process still starting), so 3 to 6 inspects, not 1 or 20.
    expect(inspects).toBeGreaterThanOrEqual(3)
    expect(inspects).toBeLessThanOrEqual(6)
  })
})
