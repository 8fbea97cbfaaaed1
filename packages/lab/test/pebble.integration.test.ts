import { X509Certificate } from 'node:crypto'
import { Agent } from 'node:https'
import { join } from 'node:path'
import acme from 'acme-client'
import type { NodeSSH } from 'node-ssh'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { labInfo } from '../src/vitest'
import { sh, sshRun, sshToLab } from './helpers'

const lab = labInfo()
let ssh: NodeSSH

beforeAll(async () => {
  ssh = await sshToLab(lab)
  // Trust pebble's listener CA; fail in seconds, not after ~75 s of retries, if that breaks.
  acme.axios.defaults.httpsAgent = new Agent({ ca: lab.acme.listenerCa })
  const defaults = acme.axios.defaults as unknown as { acmeSettings: { retryMaxAttempts: number } }
  defaults.acmeSettings.retryMaxAttempts = 2
})
afterAll(() => ssh?.dispose())

describe('pebble (the ACME CA)', () => {
  it('issues a certificate through real http-01 validation against the lab nginx', async () => {
    const client = new acme.Client({
      directoryUrl: lab.acme.directoryUrl,
      accountKey: await acme.crypto.createPrivateKey(),
    })
    const [, csr] = await acme.crypto.createCsr({ commonName: 'lab.example.test' })
    const challengeDir = join(lab.nginx.webroot, '.well-known', 'acme-challenge')
    const validated: string[] = []
    const pem = await client.auto({
      csr,
      email: 'ops@example.test',
      termsOfServiceAgreed: true,
      // acme-client's own pre-check fetches http://lab.example.test:80 from here, which does not
      // resolve; pebble's validation (through challtestsrv DNS → nginx) is the real check.
      skipChallengeVerification: true,
      challengePriority: ['http-01'],
      challengeCreateFn: async (_authz, challenge, keyAuthorization) => {
        validated.push(challenge.type)
        const file = join(challengeDir, challenge.token)
        await sshRun(ssh, `printf %s ${sh(keyAuthorization)} | sudo tee ${sh(file)} >/dev/null`)
      },
      challengeRemoveFn: async (_authz, challenge) => {
        await sshRun(ssh, `sudo rm -f ${sh(join(challengeDir, challenge.token))}`)
      },
    })
    expect(validated).toEqual(['http-01'])

    const [leaf, ...intermediates] = splitPem(pem).map((p) => new X509Certificate(p))
    const root = new X509Certificate(lab.acme.rootCa)
    expect(leaf!.checkHost('lab.example.test')).toBe('lab.example.test')
    // The chain leaf → intermediate(s) → the root pebble made at this start.
    const chain = [leaf!, ...intermediates, root]
    for (let i = 0; i < chain.length - 1; i++) {
      expect(chain[i]!.verify(chain[i + 1]!.publicKey)).toBe(true)
    }
  })

  it('validates for real: a wrong key authorization is refused', async () => {
    const client = new acme.Client({
      directoryUrl: lab.acme.directoryUrl,
      accountKey: await acme.crypto.createPrivateKey(),
    })
    const [, csr] = await acme.crypto.createCsr({ commonName: 'wrong.example.test' })
    await expect(
      client.auto({
        csr,
        termsOfServiceAgreed: true,
        skipChallengeVerification: true,
        challengePriority: ['http-01'],
        challengeCreateFn: async (_authz, challenge) => {
          const file = join(lab.nginx.webroot, '.well-known', 'acme-challenge', challenge.token)
          await sshRun(ssh, `printf %s not-the-key-authorization | sudo tee ${sh(file)} >/dev/null`)
        },
        challengeRemoveFn: async () => {},
      }),
    ).rejects.toThrow()
  })
})

function splitPem(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
}
