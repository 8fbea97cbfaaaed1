import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { ensureEd25519Key, knownHostsLine, sshFingerprint, stripKeyComment } from './ssh-keys'

const run = promisify(execFile)
const dir = mkdtempSync(join(tmpdir(), 'ferry-keys-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('ssh keys', () => {
  it('makes an ed25519 key once (0600) and keeps it on the next call', async () => {
    const path = join(dir, 'k')
    const first = await ensureEd25519Key(path, 'test')
    expect(first.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ test$/)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(await ensureEd25519Key(path, 'test')).toEqual(first)
  })

  it('computes the fingerprint exactly as ssh-keygen -lf prints it', async () => {
    const path = join(dir, 'f')
    const { publicKey } = await ensureEd25519Key(path, 'fp')
    const { stdout } = await run('ssh-keygen', ['-lf', `${path}.pub`])
    expect(stdout.split(' ')[1]).toBe(sshFingerprint(publicKey))
  })

  it('writes known_hosts lines with the port in brackets unless it is 22', () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake comment'
    expect(knownHostsLine('127.0.0.1', 2222, key)).toBe(
      '[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake',
    )
    expect(knownHostsLine('10.0.0.1', 22, key)).toBe(
      '10.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake',
    )
    expect(stripKeyComment(key)).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake')
  })

  it('rejects text that is not a public key line', () => {
    expect(() => sshFingerprint('nonsense')).toThrow(/public key/)
    expect(readFileSync(join(dir, 'k.pub'), 'utf8')).toContain('ssh-ed25519')
  })
})
