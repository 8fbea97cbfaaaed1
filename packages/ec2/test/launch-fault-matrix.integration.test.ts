// Issue 12: a failure at each AWS call of a launch in turn. After each, the failed launch's
// clean-up (or the SDK's retry of a lost answer) plus a re-run of the same run leave exactly
// what one clean run leaves, counted with an independent client on moto itself.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strictAwsScope, type FaultSpec, type StrictAwsScope } from '@ferry/lab'
import { afterAll, describe, expect, it } from 'vitest'
import { deleteEc2ByRun, launchWebServer } from '../src/index.js'
import { countRun, lab, labResolveHost, unique } from './lab.js'

const dir = mkdtempSync(join(tmpdir(), 'ferry-ec2-matrix-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const fast = { waiterMinDelay: 200, maxWaitTime: 60_000 }

const launchIn = (strict: StrictAwsScope, runId: string) =>
  launchWebServer(
    {
      name: 'web',
      keyPair: { create: { path: join(dir, `${runId}.pem`), overwrite: true } },
      ready: 'ssh',
    },
    {
      aws: { ...strict.aws },
      runId,
      resolveHost: labResolveHost,
      hostKeyWaitTime: 10_000,
      ...fast,
    },
  )

// The mutating and reading calls of one clean launch, in order, each with its occurrence.
async function cleanCalls(): Promise<{ operation: string; skip: number }[]> {
  const strict = strictAwsScope(lab().aws, unique('matrix-clean'))
  const runId = unique('run')
  await launchIn(strict, runId)
  await deleteEc2ByRun({ runId }, { aws: lab().aws, waiterMinDelay: 200 })
  const seen = new Map<string, number>()
  return (await strict.calls())
    .filter((c) => !c.by) // what reached AWS and was answered
    .filter(
      (c) => !['TerminateInstances', 'DeleteSecurityGroup', 'DeleteKeyPair'].includes(c.operation),
    )
    .map((c) => {
      const skip = seen.get(c.operation) ?? 0
      seen.set(c.operation, skip + 1)
      return { operation: c.operation, skip }
    })
}

describe('a failure at each AWS call of launchWebServer', () => {
  it(
    'leaves exactly one clean run’s resources after the failed run and its re-run',
    { timeout: 600_000 },
    async () => {
      const calls = await cleanCalls()
      expect(new Set(calls.map((c) => c.operation))).toEqual(
        new Set([
          'DescribeInstances',
          'DescribeInstanceStatus',
          'DescribeSecurityGroups',
          'DescribeKeyPairs',
          'DescribeInstanceTypes',
          'DescribeImages',
          'DescribeVpcs',
          'CreateKeyPair',
          'CreateSecurityGroup',
          'DescribeSecurityGroupRules',
          'AuthorizeSecurityGroupIngress',
          'RunInstances',
          'GetConsoleOutput',
        ]),
      )
      const faults: FaultSpec['fault'][] = [
        'lose-response',
        {
          code: 'UnauthorizedOperation',
          message: 'You are not authorized to perform this operation.',
          status: 403,
        },
      ]
      const outcomes: string[] = []
      for (const { operation, skip } of calls)
        for (const fault of faults) {
          const strict = strictAwsScope(lab().aws, unique('matrix'))
          await strict.inject({ operation, skip, fault })
          const runId = unique('run')
          const first = await launchIn(strict, runId).then(
            () => 'ok',
            (e: unknown) => (e as { awsCode?: string }).awsCode ?? String(e),
          )
          const after = await countRun(runId)
          // A failed launch deleted what it made; one that recovered holds exactly one of each.
          expect(after, `${operation}#${skip} ${JSON.stringify(fault)}: ${first}`).toEqual(
            first === 'ok'
              ? { instances: 1, groups: 1, keys: 1 }
              : { instances: 0, groups: 0, keys: 0 },
          )
          await launchIn(strict, runId) // the re-run of the same run
          expect(await countRun(runId), `re-run after ${operation}#${skip}`).toEqual({
            instances: 1,
            groups: 1,
            keys: 1,
          })
          await deleteEc2ByRun({ runId }, { aws: lab().aws, waiterMinDelay: 200 })
          outcomes.push(
            `${operation}#${skip} ${typeof fault === 'string' ? fault : fault.code}: ${first}`,
          )
        }
      // Every lost answer is recovered from in the run itself; every refusal fails it.
      expect(outcomes.filter((o) => o.includes('lose-response') && !o.endsWith(': ok'))).toEqual([])
      expect(
        outcomes.filter((o) => o.includes('UnauthorizedOperation') && o.endsWith(': ok')),
      ).toEqual([])
    },
  )
})
