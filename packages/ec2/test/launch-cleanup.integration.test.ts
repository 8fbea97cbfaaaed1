// Issue 12 items 3 and 10: a launch that fails right after RunInstances cleans up what it made,
// although EC2 does not know the new ids yet (NotFound is "not visible yet", not "gone"), and a
// non-retryable error during a wait surfaces at once with its cause (the SDK's waiters retried
// it until maxWaitTime, then reported a timeout).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DescribeInstancesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2'
import { AwsError } from '@ferry/core'
import { strictAwsScope } from '@ferry/lab'
import { afterAll, describe, expect, it } from 'vitest'
import { launchWebServer } from '../src/index.js'
import { lab, labResolveHost, readBackEc2, unique } from './lab.js'

const dir = mkdtempSync(join(tmpdir(), 'ferry-ec2-cleanup-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ec2 = readBackEc2()

describe('a launch that fails right after RunInstances', () => {
  it('surfaces a non-retryable error of its wait at once and terminates the instances EC2 does not show yet', async () => {
    const strict = strictAwsScope(lab().aws, unique('cleanup'))
    // The wait's first describe is refused; the new id stays invisible for 3 more uses.
    await strict.configure({ consistencyUses: 3 })
    await strict.inject({
      operation: 'DescribeInstances',
      skip: 1, // the first is the search for an earlier attempt's instances, by the run's tag
      fault: {
        code: 'UnauthorizedOperation',
        message: 'You are not authorized to perform this operation.',
        status: 403,
      },
    })
    const runId = unique('run')
    const error = await launchWebServer(
      { name: 'web', keyPair: { create: { path: join(dir, `${runId}.pem`) } }, ready: 'ssh' },
      {
        aws: { ...strict.aws },
        runId,
        resolveHost: labResolveHost,
        waiterMinDelay: 200,
        maxWaitTime: 60_000,
      },
    ).catch((e: unknown) => e)
    expect(AwsError.is(error) && error.awsCode).toBe('UnauthorizedOperation')
    const calls = await strict.calls()
    // The refused describe ended the wait: the next call is the clean-up, not another poll.
    const refused = calls.findIndex((c) => c.operation === 'DescribeInstances' && c.by === 'fault')
    expect(refused).toBeGreaterThan(0)
    expect(calls[refused + 1]?.operation).toBe('TerminateInstances')
    // The cleanup's TerminateInstances met NotFound first and kept at it.
    const terminates = calls.filter((c) => c.operation === 'TerminateInstances')
    expect(terminates.map((c) => c.by ?? 'aws')).toEqual([
      'consistency',
      'consistency',
      'consistency',
      'aws',
    ])

    const filter = [{ Name: 'tag:ferry:run', Values: [runId] }]
    const live = {
      Name: 'instance-state-name',
      Values: ['pending', 'running', 'stopping', 'stopped'],
    }
    const left = await ec2.send(new DescribeInstancesCommand({ Filters: [...filter, live] }))
    expect(left.Reservations?.flatMap((r) => r.Instances ?? [])).toEqual([])
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: filter }))
    expect(groups.SecurityGroups).toEqual([])
  })
})
