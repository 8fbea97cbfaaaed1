// Issue 12 item 20, at a rate: with 20 % of AWS's answers lost after the request was carried
// out and 10 % of requests throttled, ten deploys (launch → openPorts) each end with exactly one
// instance, one group, one key pair and the ports asked for: no Duplicate, no second resource.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
} from '@aws-sdk/client-ec2'
import { strictAwsScope } from '@ferry/lab'
import { afterAll, describe, expect, it } from 'vitest'
import { deleteEc2ByRun, launchWebServer, openPorts } from '../src/index.js'
import { lab, labResolveHost, readBackEc2, unique } from './lab.js'

const dir = mkdtempSync(join(tmpdir(), 'ferry-ec2-reliability-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ec2 = readBackEc2()

describe('deploys while AWS loses answers and throttles', () => {
  it(
    'ten deploys at 20 % lost answers and 10 % throttling: each holds exactly one of everything',
    { timeout: 300_000 },
    async () => {
      const results: string[] = []
      let lostOrThrottled = 0
      for (let seed = 1; seed <= 10; seed++) {
        const strict = strictAwsScope(lab().aws, unique(`reliable-${seed}`))
        await strict.configure({ rates: { loseResponse: 0.2, throttle: 0.1, seed } })
        const runId = unique('run')
        try {
          const { server } = await launchWebServer(
            { name: 'web', keyPair: { create: { path: join(dir, `${runId}.pem`) } }, ready: 'ssh' },
            { aws: { ...strict.aws }, runId, resolveHost: labResolveHost, waiterMinDelay: 200 },
          )
          await openPorts(server, {}, { aws: { ...strict.aws }, runId, step: 'ports' })
          const filter = [{ Name: 'tag:ferry:run', Values: [runId] }]
          const live = { Name: 'instance-state-name', Values: ['pending', 'running'] }
          const instances = await ec2.send(
            new DescribeInstancesCommand({ Filters: [...filter, live] }),
          )
          const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: filter }))
          const keys = await ec2.send(new DescribeKeyPairsCommand({ Filters: filter }))
          const rules = await ec2.send(
            new DescribeSecurityGroupRulesCommand({
              Filters: [{ Name: 'group-id', Values: [server.securityGroupId] }],
            }),
          )
          results.push(
            [
              instances.Reservations?.flatMap((r) => r.Instances ?? []).length,
              groups.SecurityGroups?.length,
              keys.KeyPairs?.length,
              rules.SecurityGroupRules?.filter((r) => !r.IsEgress).length,
            ].join(' '),
          )
          lostOrThrottled += (await strict.calls()).filter(
            (c) => c.by === 'lose-response' || c.by === 'fault',
          ).length
        } finally {
          await deleteEc2ByRun({ runId }, { aws: lab().aws, waiterMinDelay: 200 })
        }
      }
      // instances, groups, key pairs, ingress rules (22 from you, 443 and 80 over IPv4 and IPv6)
      expect(results).toEqual(Array(10).fill('1 1 1 5'))
      expect(lostOrThrottled).toBeGreaterThan(10) // the faults did happen
    },
  )
})
