// Issue 12 item 20: a response lost after AWS carried the request out makes the SDK retry a
// create that already happened. Calls without a client token must adopt what the first attempt
// made (by name and the run's tags), never fail with a Duplicate or make a second one.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
} from '@aws-sdk/client-ec2'
import { strictAwsScope } from '@ferry/lab'
import { afterAll, describe, expect, it } from 'vitest'
import { deleteEc2ByRun, launchWebServer } from '../src/index.js'
import { lab, labResolveHost, readBackEc2, unique } from './lab.js'

const dir = mkdtempSync(join(tmpdir(), 'ferry-ec2-lost-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ec2 = readBackEc2()
const fast = { waiterMinDelay: 1000, maxWaitTime: 60_000 }

async function counted(runId: string) {
  const filter = [{ Name: 'tag:ferry:run', Values: [runId] }]
  const live = { Name: 'instance-state-name', Values: ['pending', 'running'] }
  const instances = await ec2.send(new DescribeInstancesCommand({ Filters: [...filter, live] }))
  const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: filter }))
  const keys = await ec2.send(new DescribeKeyPairsCommand({ Filters: filter }))
  return {
    instances: instances.Reservations?.flatMap((r) => r.Instances ?? []).length ?? 0,
    groups: groups.SecurityGroups?.length ?? 0,
    keys: keys.KeyPairs?.length ?? 0,
  }
}

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
        expect(await counted(runId)).toEqual({ instances: 1, groups: 1, keys: 1 })
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
