import { execFileSync } from 'node:child_process'
import {
  existsSync,
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
import type { Arg } from '@ferry/core'
import { afterEach, describe, expect, test } from 'vitest'
import { snapshotCommands, type FileSnapshot } from './snapshot.js'

// The scripts run for real in a local sh, on file names a shell would split or expand.
const sh = (argv: Arg[]) => execFileSync(String(argv[0]), argv.slice(1).map(String)).toString()
let dir = ''
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('snapshot scripts', () => {
  test('argv shape', () => {
    const snap: FileSnapshot = {
      id: 'abc',
      entries: [
        { path: '/a', existed: true },
        { path: '/b', existed: false },
      ],
    }
    expect(snapshotCommands.take('abc', ['/a', '/b']).slice(3)).toEqual([
      'ferry-snapshot',
      'abc',
      '/a',
      '/b',
    ])
    expect(snapshotCommands.restore(snap).slice(3)).toEqual([
      'ferry-restore',
      'abc',
      '1',
      '/a',
      '0',
      '/b',
    ])
    expect(snapshotCommands.discard(snap).slice(3)).toEqual(['ferry-discard', 'abc', '/a'])
  })

  test('take → change → restore puts back content, mode, links and absence', () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry snap $x '))
    const file = join(dir, "it's a file.conf")
    const link = join(dir, 'enabled $HOME.conf')
    const fresh = join(dir, 'new "one".conf')
    writeFileSync(file, 'old', { mode: 0o640 })
    symlinkSync(file, link)
    const out = sh(snapshotCommands.take('t1', [file, link, fresh]))
    expect(out).toBe('1\n1\n0\n')
    const snap: FileSnapshot = {
      id: 't1',
      entries: [
        { path: file, existed: true },
        { path: link, existed: true },
        { path: fresh, existed: false },
      ],
    }
    writeFileSync(file, 'new')
    rmSync(link)
    writeFileSync(link, 'not a link')
    writeFileSync(fresh, 'created')
    sh(snapshotCommands.restore(snap))
    expect(readFileSync(file, 'utf8')).toBe('old')
    expect(statSync(file).mode & 0o777).toBe(0o640)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readlinkSync(link)).toBe(file)
    expect(existsSync(fresh)).toBe(false)
    expect(readdirSync(dir).sort()).toEqual(['enabled $HOME.conf', "it's a file.conf"])
  })

  test('discard removes only the copies', () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-snap-'))
    const file = join(dir, 'a.conf')
    writeFileSync(file, 'x')
    sh(snapshotCommands.take('t2', [file]))
    expect(readdirSync(dir).sort()).toEqual(['.a.conf.ferry-t2', 'a.conf'])
    sh(snapshotCommands.discard({ id: 't2', entries: [{ path: file, existed: true }] }))
    expect(readdirSync(dir)).toEqual(['a.conf'])
  })
})
