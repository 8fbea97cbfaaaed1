// The journal is the file people copy into CI caches and bug reports: it must not hold a
// secret's value, yet a resumed run must get every secret back.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { FerryError } from './errors.js'
import { Journal } from './journal.js'
import { Secret } from './secret.js'

const PEM =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n'
const TOKEN = 'tok_live_0123456789abcdef'
let dir = ''
const before = process.env.FERRY_JOURNAL_KEY

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-journal-'))
  process.env.FERRY_JOURNAL_KEY = Buffer.alloc(32, 7).toString('base64')
})
afterEach(() => {
  if (before === undefined) delete process.env.FERRY_JOURNAL_KEY
  else process.env.FERRY_JOURNAL_KEY = before
})

async function saved(): Promise<{ path: string; keyFile: string; text: string }> {
  const keyFile = join(dir, 'web.pem')
  await writeFile(keyFile, PEM, { mode: 0o600 })
  const path = join(dir, 'r1.json')
  const journal = await Journal.open(path, 'r1')
  await journal.update('launch', {
    status: 'done',
    output: {
      server: { ssh: { privateKey: new Secret(PEM, { file: keyFile }) }, token: new Secret(TOKEN) },
    },
  })
  return { path, keyFile, text: await readFile(path, 'utf8') }
}

const revealed = async (path: string) => {
  const out = (await Journal.open(path, 'r1')).step('launch')!.output as {
    server: { ssh: { privateKey: Secret }; token: Secret }
  }
  return { key: () => out.server.ssh.privateKey.reveal(), token: () => out.server.token.reveal() }
}

describe('the journal keeps secrets out', () => {
  test('a key file is referenced by path and SHA-256; other secrets are sealed', async () => {
    const { text, keyFile } = await saved()
    expect(text).not.toContain('PRIVATE KEY')
    expect(text).not.toContain('b3BlbnNzaC1rZXkt')
    expect(text).not.toContain(TOKEN)
    const data = JSON.parse(text)
    expect(data.steps.launch.output.server.ssh.privateKey).toEqual({
      $secretFile: keyFile,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    expect(data.steps.launch.output.server.token).toEqual({
      $sealed: expect.any(String),
      keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
    })
  })

  test('a resumed run gets both back', async () => {
    const { path } = await saved()
    const s = await revealed(path)
    expect(s.key()).toBe(PEM)
    expect(s.token()).toBe(TOKEN)
  })

  test('a changed key file, or another journal key, is a clear error when the secret is used', async () => {
    const { path, keyFile } = await saved()
    await writeFile(keyFile, 'someone else')
    process.env.FERRY_JOURNAL_KEY = Buffer.alloc(32, 8).toString('base64')
    // Opening still works (teardown reads regions from it); using the secret says what is wrong.
    const s = await revealed(path)
    expect(s.key).toThrow(FerryError)
    expect(s.key).toThrow(`its file ${keyFile} changed since the run`)
    expect(s.token).toThrow(/sealed under journal key [0-9a-f]{16}, which is not here/)
  })

  test('journals written by older versions ({ "$secret": value }) are still read', async () => {
    const path = join(dir, 'old.json')
    const old = {
      version: 1,
      runId: 'r1',
      status: 'done',
      createdAt: '',
      updatedAt: '',
      steps: {
        launch: {
          status: 'done',
          startedAt: '',
          records: {},
          output: { server: { ssh: { privateKey: { $secret: PEM } }, token: { $secret: TOKEN } } },
        },
      },
    }
    await writeFile(path, JSON.stringify(old))
    const s = await revealed(path)
    expect(s.key()).toBe(PEM)
  })
})
