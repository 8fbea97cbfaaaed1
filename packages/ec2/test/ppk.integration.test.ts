import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createKeyPair, deleteKeyPair, publicKeyOf } from '../src/index.js'
import { labAws, unique } from './lab.js'

const dir = mkdtempSync(join(tmpdir(), 'ferry-ec2-ppk-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// puttygen (Debian putty-tools, installed by scripts/setup.sh) is the reference reader.
const puttygen = (...args: string[]) =>
  execFileSync('puttygen', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

describe('PPK files of EC2-created keys, read back by PuTTYgen', () => {
  for (const type of ['ed25519', 'rsa'] as const) {
    it(`${type}: puttygen accepts the file (MAC verified) and finds the same public key`, async () => {
      const name = unique(`ppk-${type}`)
      const path = join(dir, `${name}.pem`)
      const ppkPath = join(dir, `${name}.ppk`)
      const key = await createKeyPair({ name, type, path, ppkPath }, { aws: labAws() })
      try {
        expect(statSync(ppkPath).mode & 0o777).toBe(0o600)
        const fromPpk = puttygen(ppkPath, '-O', 'public-openssh').trim()
        const fromPem = publicKeyOf(readFileSync(path, 'utf8'))
        expect(fromPpk.split(' ').slice(0, 2)).toEqual(fromPem.split(' ').slice(0, 2))
        expect(fromPpk.split(' ')[2]).toBe(name)
        // Round trip: PuTTYgen converts the PPK back to the same private key.
        const back = join(dir, `${name}.back`)
        puttygen(ppkPath, '-O', 'private-openssh-new', '-o', back)
        // Loading the private part verifies the MAC; the converted key is the same key.
        expect(publicKeyOf(readFileSync(back, 'utf8'), '')).toBe(
          publicKeyOf(readFileSync(path, 'utf8'), ''),
        )
        expect(key.privateKey.toString()).toBe('[REDACTED]')
      } finally {
        await deleteKeyPair(name, { aws: labAws() })
      }
    })
  }

  it('puttygen rejects a PPK whose MAC does not match (the test can tell a bad file)', () => {
    const name = unique('tampered')
    const good = join(dir, `${name}.ppk`)
    puttygen('-t', 'ed25519', '-C', 'x', '-o', good, '--new-passphrase', '/dev/null')
    const tampered = readFileSync(good, 'utf8').replace(/Comment: x/, 'Comment: y')
    const bad = join(dir, `${name}-bad.ppk`)
    execFileSync('sh', ['-c', `cat > ${bad}`], { input: tampered })
    expect(() => puttygen(bad, '-O', 'private-openssh-new', '-o', `${bad}.out`)).toThrow(
      /MAC failed/,
    )
  })
})
