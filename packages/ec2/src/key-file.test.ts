import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FerryError, Secret } from '@ferry/core'
import { rmSync } from 'node:fs'
import { assertKeyFileFree, writeKeyFile } from './key-file.js'

const dir = mkdtempSync(join(tmpdir(), 'ferry-keyfile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const mode = (path: string) => statSync(path).mode & 0o777

describe('writeKeyFile', () => {
  it('creates the file with mode 0600 even under a permissive umask', async () => {
    const old = process.umask(0)
    try {
      const path = await writeKeyFile(join(dir, 'a.pem'), new Secret('KEY-A'))
      expect(mode(path)).toBe(0o600)
      expect(readFileSync(path, 'utf8')).toBe('KEY-A')
    } finally {
      process.umask(old)
    }
  })

  it('creates missing parent directories 0700', async () => {
    const path = await writeKeyFile(join(dir, 'sub', 'deeper', 'b.pem'), 'KEY-B')
    expect(mode(join(dir, 'sub', 'deeper'))).toBe(0o700)
    expect(mode(path)).toBe(0o600)
  })

  it('refuses to overwrite an existing file and leaves it untouched', async () => {
    const path = join(dir, 'c.pem')
    writeFileSync(path, 'OLD', { mode: 0o644 })
    const error = await writeKeyFile(path, 'NEW').catch((e: unknown) => e)
    expect(FerryError.is(error) && error.code).toBe('CONFLICT')
    expect(readFileSync(path, 'utf8')).toBe('OLD')
    expect(() => assertKeyFileFree(path)).toThrow(/Refusing to overwrite/)
  })

  it('replaces it with overwrite: true, still 0600', async () => {
    const path = join(dir, 'd.pem')
    writeFileSync(path, 'OLD', { mode: 0o644 })
    await writeKeyFile(path, 'NEW', { overwrite: true })
    expect(readFileSync(path, 'utf8')).toBe('NEW')
    expect(mode(path)).toBe(0o600)
  })
})
