// The batch write runs in a real sh here (the same script the host runs over SSH): every file
// lands with its mode, or none changes; no temp file is left either way.
import { spawnSync } from 'node:child_process'
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ValidationError } from './errors.js'
import { fileBatch, writeFilesCommand, type BatchFile } from './remote-file.js'
import { Secret } from './secret.js'
import type { Arg } from './shell.js'

const sh = (argv: Arg[], stdin: Buffer | Secret) => {
  const [bin, ...args] = argv.map(String)
  const input = Secret.is(stdin) ? stdin.reveal() : stdin
  return spawnSync(bin!, args, { input, encoding: 'utf8' })
}

const files = (dir: string): BatchFile[] => [
  { path: join(dir, 'cert.pem'), data: 'CERT\n', mode: 0o644 },
  { path: join(dir, 'keys', 'key.pem'), data: new Secret('KEY\n'), mode: 0o600, mkdirs: true },
]

describe('writeFilesCommand', () => {
  test('writes every file with its mode in one command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-batch-'))
    const { argv, stdin } = writeFilesCommand(files(dir))
    expect(Secret.is(stdin)).toBe(true)
    expect(argv.map(String).join(' ')).not.toContain('KEY')
    const r = sh(argv, stdin)
    expect(r.status).toBe(0)
    expect(readFileSync(join(dir, 'cert.pem'), 'utf8')).toBe('CERT\n')
    expect(readFileSync(join(dir, 'keys', 'key.pem'), 'utf8')).toBe('KEY\n')
    expect(statSync(join(dir, 'cert.pem')).mode & 0o777).toBe(0o644)
    expect(statSync(join(dir, 'keys', 'key.pem')).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir).sort()).toEqual(['cert.pem', 'keys'])
  })

  test('a short upload changes no file, not even the ones that arrived whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-batch-'))
    writeFileSync(join(dir, 'cert.pem'), 'OLD CERT\n')
    const { argv } = writeFilesCommand(files(dir))
    const r = sh(argv, Buffer.from('CERT\nKE'))
    expect(r.status).toBe(75)
    expect(r.stderr).toContain('incomplete upload of')
    expect(readFileSync(join(dir, 'cert.pem'), 'utf8')).toBe('OLD CERT\n')
    expect(readdirSync(dir)).toEqual(['cert.pem', 'keys'])
    expect(readdirSync(join(dir, 'keys'))).toEqual([])
  })

  test('bytes that differ from what was sent are refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-batch-'))
    const { argv } = writeFilesCommand(files(dir))
    const r = sh(argv, Buffer.from('CERX\nKEY\n'))
    expect(r.status).toBe(75)
    expect(r.stderr).toContain(`checksum mismatch for ${join(dir, 'cert.pem')}`)
    expect(readdirSync(dir)).toEqual([])
  })

  test('an existing file keeps its mode when none is given; an empty file is fine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-batch-'))
    writeFileSync(join(dir, 'a'), 'old', { mode: 0o640 })
    const { argv, stdin } = writeFilesCommand([
      { path: join(dir, 'a'), data: 'new' },
      { path: join(dir, 'b'), data: '' },
    ])
    expect(sh(argv, stdin).status).toBe(0)
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o640)
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('new')
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('')
  })

  // A writer killed outright (kill -9, host crash) leaves its temp: the next write to the same
  // place removes those of dead writers, and keeps a live writer's and every other file.
  test("sweeps stale staging files of the same target, never a live writer's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-sweep-'))
    const dead = 999_999_999 // above any pid_max: no such process
    const names = {
      stale: `.cert.pem.ferry-${dead}`,
      live: `.cert.pem.ferry-${process.pid}`,
      reused: `.cert.pem.ferry-${process.ppid}`,
      backup: `.cert.pem.ferry-${dead}.old`,
      other: `.other.pem.ferry-${dead}`,
    }
    for (const name of Object.values(names)) writeFileSync(join(dir, name), 'partial')
    // A live pid on a file untouched for two hours is a reused pid, not a writer at work.
    const twoHoursAgo = Date.now() / 1000 - 7200
    utimesSync(join(dir, names.reused), twoHoursAgo, twoHoursAgo)
    const { argv, stdin } = writeFilesCommand([{ path: join(dir, 'cert.pem'), data: 'CERT\n' }])
    expect(sh(argv, stdin).status).toBe(0)
    expect(readdirSync(dir).sort()).toEqual(
      ['cert.pem', names.live, names.backup, names.other].sort(),
    )
  })

  test('bad paths, modes and owners are refused before any command exists', () => {
    const field = (f: BatchFile) => {
      try {
        fileBatch([f])
      } catch (error) {
        return ValidationError.is(error) ? error.field : 'other'
      }
      return 'none'
    }
    expect(field({ path: 'relative', data: '' })).toBe('remote path')
    expect(field({ path: '/a', data: '', mode: 0o1777 + 0o10000 })).toBe('mode')
    expect(field({ path: '/a', data: '', owner: 'root;id' })).toBe('owner')
  })
})
