// Issue 12 item 20: a response lost after AWS carried the request out makes the SDK retry a
// create that already happened. Calls without a client token must adopt what the first attempt
// made (by name and the run's tags), never fail with a Duplicate or make a second one.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strictAwsScope } from '@ferry/lab'
import { afterAll, describe, expect, it } from 'vitest'
import { deleteEc2ByRun, launchWebServer } from '../src/index.js'
import { countRun, lab, labResolveHost, unique } from './lab.js'

const dir = mkdtempSync(join(tmpdir(), 'ferry-ec2-lost-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const fast = { waiterMinDelay: 1000, maxWaitTime: 60_000 }

describe('launchWebServer when AWS answers are lost', () => {
  for (const operation of [
    'CreateKeyPair',
    'CreateSecurityGroup',
    'RunInstances',
    'AuthorizeSecurityGroupIngress',
  ]) {
    it(`${operation} carried out, its answer lost: the retry adopts it, exactly one of everything`, async () => {
      const strict = strictAwsScope(lab().aws, unique('lost'))
      await strict.inject({ operation, fault: 'lose-response' })
      const runId = unique('run')
      const aws = { ...strict.aws }
      try {
        const { servers } = await launchWebServer(
          {
            name: 'web',
            keyPair: { create: { path: join(dir, `${runId}.pem`) } },
            hostKey: { fingerprint: lab().ssh.hostKeyFingerprint },
            ready: 'ssh',
          },
          { aws, runId, resolveHost: labResolveHost, ...fast },
        )
        expect(servers).toHaveLength(1)
        expect(await countRun(runId)).toEqual({ instances: 1, groups: 1, keys: 1 })
        const calls = await strict.calls()
        expect(calls.filter((c) => c.by === 'lose-response').map((c) => c.operation)).toEqual([
          operation,
        ])
      } finally {
        await deleteEc2ByRun({ runId }, { aws: lab().aws, waiterMinDelay: 1000 })
      }
    })
  }
})
