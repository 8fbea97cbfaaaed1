import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { render } from '@ferry/core'
import {
  ENGINE_DID_NOT_START,
  ENGINE_NO_SYSTEMD,
  engineCommand,
  healthCommand,
  portsTakenCommand,
} from './container-scripts.js'

describe('container scripts', () => {
  it('pass their inputs as arguments, never inside the script text', () => {
    const engine = engineCommand('/opt/lab/bin/docker', { install: false })
    expect(engine.slice(0, 2)).toEqual(['sh', '-c'])
    expect(engine.slice(3)).toEqual(['ferry-engine', '/opt/lab/bin/docker', '0'])
    expect(
      portsTakenCommand([
        { protocol: 'tcp', port: 8080 },
        { protocol: 'udp', port: 53 },
      ]).slice(3),
    ).toEqual(['ferry-ports', 'tcp:8080', 'udp:53'])
    expect(
      healthCommand('docker', 'api', {
        kind: 'http',
        port: 8080,
        path: '/healthz',
        timeoutSec: 30,
      }).slice(3),
    ).toEqual(['ferry-health', 'docker', 'api', 'http', '127.0.0.1', 8080, '/healthz', 30])
  })

  it('are valid shell (sh -n / bash -n)', () => {
    for (const [shell, argv] of [
      ['sh', engineCommand('docker', { install: true })],
      ['sh', portsTakenCommand([])],
      ['bash', healthCommand('docker', 'x', { kind: 'tcp', port: 1, timeoutSec: 1 })],
    ] as const)
      expect(() => execFileSync(shell, ['-n', '-c', String(argv[2])])).not.toThrow()
  })

  it('asks the engine `version` (not the slower `info`) whether it answers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-engine-'))
    const fake = join(dir, 'docker')
    // Answers `version` as told by $ANSWER; fails anything else, so a call to `info` would show.
    writeFileSync(fake, '#!/bin/sh\n[ "$1" = version ] && exit "$ANSWER"\nexit 99\n', {
      mode: 0o755,
    })
    // On a systemd machine the script would try `systemctl enable --now docker`: never for real.
    writeFileSync(join(dir, 'systemctl'), '#!/bin/sh\nexit 1\n', { mode: 0o755 })
    const status = (answer: string) => {
      const argv = engineCommand(fake, { install: false }).map(String)
      try {
        execFileSync(argv[0]!, argv.slice(1), {
          stdio: 'pipe',
          env: { ...process.env, ANSWER: answer, PATH: `${dir}:${process.env.PATH}` },
        })
        return 0
      } catch (e) {
        return (e as { status: number }).status
      }
    }
    expect(status('0')).toBe(0)
    // No answer: it tries systemd (where there is one) and never reports success.
    expect([ENGINE_NO_SYSTEMD, ENGINE_DID_NOT_START]).toContain(status('1'))
  })

  it('reports a missing engine CLI with its exit code when installing is not allowed', () => {
    const argv = engineCommand('/nonexistent/docker', { install: false }).map(String)
    let status = 0
    try {
      execFileSync(argv[0]!, argv.slice(1), { stdio: 'pipe' })
    } catch (e) {
      status = (e as { status: number }).status
    }
    expect(status).toBe(10)
    expect(render(engineCommand('docker', { install: true }))).toContain('ferry-engine docker 1')
  })
})
