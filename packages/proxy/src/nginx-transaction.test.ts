// The transaction runs for real in a local bash, with a stand-in for `nginx -t` and the reload,
// on file names a shell would split or expand: what nginx refuses is undone byte for byte.
import { spawnSync } from 'node:child_process'
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { quote, Secret } from '@ferry/core'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { nginxSettings } from './nginx-options.js'
import {
  transactionCommand,
  TXN_RELOAD_FAILED,
  TXN_TEST_FAILED,
  TXN_UPLOAD_FAILED,
  type FileChange,
} from './nginx-transaction.js'

let dir = ''
let outcomes = ''
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ferry txn 'x' "))
  outcomes = mkdtempSync(join(tmpdir(), 'ferry-outcomes-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
  rmSync(outcomes, { recursive: true, force: true })
})

const nginx = (o: { test?: string | string[]; reload?: string } = {}) =>
  nginxSettings({
    sudo: false,
    testCommand: Array.isArray(o.test) ? o.test : ['sh', '-c', o.test ?? 'true'],
    reloadCommand: ['sh', '-c', o.reload ?? 'true'],
    pidPath: '/nonexistent/nginx.pid',
    stateDir: join(outcomes, 'txn'),
  })

function apply(
  changes: FileChange[],
  o: { test?: string | string[]; reload?: string; stdin?: Buffer } = {},
) {
  const { argv, stdin, txn } = transactionCommand(changes, nginx(o))
  const input = o.stdin ?? (Secret.is(stdin) ? Buffer.from(stdin.reveal()) : stdin)
  const [bin, ...args] = argv.map(String)
  const r = spawnSync(bin!, args, { input, encoding: 'utf8' })
  // What a client whose session dropped would read back.
  const recorded = readFileSync(join(outcomes, 'txn', txn), 'utf8')
  return { ...r, recorded }
}

// The directory as it is: names, and each file's text or link target.
function state(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    out[name] = lstatSync(p).isSymbolicLink() ? `-> ${readlinkSync(p)}` : readFileSync(p, 'utf8')
  }
  return out
}

describe('an nginx transaction', () => {
  const site = () => join(dir, 'web $x.conf')
  const link = () => join(dir, 'enabled web.conf')
  const key = () => join(dir, 'key.pem')
  const before = () => {
    writeFileSync(site(), 'old site\n')
    writeFileSync(key(), 'old key\n', { mode: 0o600 })
  }
  const changes = (): FileChange[] => [
    { path: site(), content: 'new site\n', mode: 0o644 },
    { path: key(), content: new Secret('new key\n'), mode: 0o600 },
    { path: link(), linkTo: site() },
  ]

  test('swaps every file in, tests, reloads, and leaves no copy behind', () => {
    before()
    const r = apply(changes(), { test: 'echo test ok' })
    expect(r.status).toBe(0)
    expect(r.recorded).toBe('ferry-exit=0\nferry-restored=-\nferry-served=-\n')
    expect(state()).toEqual({
      'enabled web.conf': `-> ${site()}`,
      'key.pem': 'new key\n',
      'web $x.conf': 'new site\n',
    })
    expect(statSync(key()).mode & 0o777).toBe(0o600)
  })

  test('nginx -t refusing: the old files are back byte for byte, the new link is gone', () => {
    before()
    const was = state()
    const r = apply(changes(), { test: 'echo "emerg: bad directive" >&2; exit 1' })
    expect(r.status).toBe(TXN_TEST_FAILED)
    expect(r.stdout).toContain('ferry-restored=1')
    expect(r.stderr).toContain('emerg: bad directive')
    expect(state()).toEqual(was)
    expect(r.recorded).toBe(`ferry-exit=${TXN_TEST_FAILED}\nferry-restored=1\nferry-served=-\n`)
  })

  test('a failed reload: restored too, and a removed file comes back', () => {
    before()
    symlinkSync(site(), link())
    const was = state()
    const r = apply(
      [
        { path: site(), content: 'new\n', mode: 0o644 },
        { path: link(), remove: true },
      ],
      { reload: 'echo reload refused >&2; exit 1' },
    )
    expect(r.status).toBe(TXN_RELOAD_FAILED)
    expect(r.stdout).toContain('ferry-restored=1')
    expect(r.stderr).toContain('reload refused')
    expect(state()).toEqual(was)
  })

  // A reload that applies the new files, then exits non-zero: what nginx serves must end the
  // same as what is on disk. The stand-in "serves" a copy of the site file at each reload.
  test('a reload that applied then failed: the restored files are reloaded, and it says so', () => {
    before()
    const fake = mkdtempSync(join(tmpdir(), 'ferry-fake-nginx-'))
    try {
      const [from, served, once] = [site(), join(fake, 'served'), join(fake, 'once')].map(quote)
      const reload = `cp -- ${from} ${served}; [ -e ${once} ] || { touch ${once}; exit 1; }`
      const r = apply([{ path: site(), content: 'new site\n', mode: 0o644 }], { reload })
      expect(r.status).toBe(TXN_RELOAD_FAILED)
      expect(r.stdout).toContain('ferry-restored=1')
      expect(r.stdout).toContain('ferry-served=previous')
      expect(readFileSync(join(fake, 'served'), 'utf8')).toBe('old site\n')
      expect(r.recorded).toBe(
        `ferry-exit=${TXN_RELOAD_FAILED}\nferry-restored=1\nferry-served=previous\n`,
      )
    } finally {
      rmSync(fake, { recursive: true, force: true })
    }
  })

  test('a reload that keeps failing: the files are back, but what nginx serves is unknown', () => {
    before()
    const r = apply([{ path: site(), content: 'new site\n', mode: 0o644 }], { reload: 'exit 1' })
    expect(r.status).toBe(TXN_RELOAD_FAILED)
    expect(r.stdout).toContain('ferry-restored=1')
    // No pid file to watch nginx's workers: nothing proves the old files were taken back.
    expect(r.stdout).toContain('ferry-served=unknown')
  })

  test('an upload cut short changes nothing', () => {
    before()
    const was = state()
    const r = apply(changes(), { stdin: Buffer.from('new site\nnew') })
    expect(r.status).toBe(TXN_UPLOAD_FAILED)
    expect(r.stderr).toContain('incomplete upload of')
    expect(state()).toEqual(was)
  })

  test('the test sees the new files; a reload that is never verified still passes', () => {
    before()
    const r = apply(changes(), { test: ['grep', '-q', 'new site', site()] })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('reload not verified')
  })
})
