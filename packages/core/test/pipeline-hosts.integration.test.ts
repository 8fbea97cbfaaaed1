// Steps share one SSH connection per server, yet every event a host sends says which step ran it.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { labInfo } from '@ferry/lab/vitest'
import { expect, test } from 'vitest'
import type { FerryEvent } from '../src/events.js'
import { pipeline } from '../src/pipeline.js'
import { Secret } from '../src/secret.js'
import { cmd } from '../src/shell.js'
import type { ServerRef } from '../src/server.js'
import type { StepEnv } from '../src/step.js'

// Sealed journal secrets need a key: this one, not one made in the home directory.
process.env.FERRY_JOURNAL_KEY ??= Buffer.alloc(32, 2).toString('base64')

const lab = labInfo()

test('pooled hosts: one connection for the run, events carry the step that ran the command', async () => {
  const server: ServerRef = {
    name: 'web-1',
    instanceId: 'i-0123456789abcdef0',
    publicIp: lab.ssh.host,
    ssh: {
      username: lab.ssh.username,
      port: lab.ssh.port,
      privateKey: new Secret(lab.ssh.privateKey),
      hostKey: { fingerprint: lab.ssh.hostKeyFingerprint },
    },
  }
  const events: FerryEvent[] = []
  const echo = (word: string) => async (ctx: { server: ServerRef }, env: StepEnv) => {
    await (await env.host(ctx.server)).run(cmd('echo', word))
    return {}
  }
  await pipeline({
    journal: join(mkdtempSync(join(tmpdir(), 'ferry-hosts-')), 'journal.json'),
    resolveHost: (s) => ({ ...s.ssh, host: lab.ssh.host, name: s.name }),
  })
    .step('launch', () => ({ server }))
    .step('first', echo('one'))
    .step('second', echo('two'))
    .run({ onEvent: (e) => events.push(e) })
  const remote = events.filter((e) => e.type.startsWith('remote:') || e.type === 'ssh:connect')
  expect(remote.map((e) => [e.type, e.step])).toEqual([
    ['remote:command', 'first'],
    ['ssh:connect', 'first'],
    ['remote:stdout', 'first'],
    ['remote:command', 'second'],
    ['remote:stdout', 'second'],
  ])
})
