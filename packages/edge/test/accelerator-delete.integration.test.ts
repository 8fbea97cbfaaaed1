// Deleting, listing and tearing down accelerators against the lab's Global Accelerator, on the
// wire (via ga-lab.ts), counted afterwards with a client of the test's own.
import { ListAcceleratorsCommand } from '@aws-sdk/client-global-accelerator'
import type { AwsOptions, FerryEvent } from '@ferry/core'
import type { LabGlobalAccelerator } from '@ferry/lab'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  createAccelerator,
  deleteAccelerator,
  deleteAcceleratorsByRun,
  listAccelerators,
  waitForAcceleratorDeployed,
  type CreateAcceleratorInput,
} from '../src/index.js'
import { labGlobalAccelerator, quickClock } from './ga-lab.js'

const input: CreateAcceleratorInput = {
  name: 'web',
  listeners: [{ ports: [80] }, { ports: [443] }],
  endpoints: [
    { instanceId: 'i-0123456789abcdef0', region: 'eu-central-1' },
    { instanceId: 'i-0123456789abcdef1', region: 'us-east-1' },
  ],
}

let ga: LabGlobalAccelerator
let aws: AwsOptions
beforeEach(async () => {
  ga = await labGlobalAccelerator('delete')
  aws = { ...ga.aws, region: 'eu-central-1' }
})

const create = (runId: string, name = 'web') =>
  createAccelerator({ ...input, name }, { aws, runId, clock: quickClock })
/** What the test's own client finds: an observer independent of ferry's clients. */
const left = async () =>
  (await ga.client.send(new ListAcceleratorsCommand({ MaxResults: 100 }))).Accelerators ?? []

describe("deleteAccelerator (the lab's Global Accelerator)", () => {
  it('disables, then deletes endpoint groups, listeners, accelerator, waiting until DEPLOYED after each change', async () => {
    const acc = await create('run-d1')
    const from = (await ga.calls()).length
    const events: FerryEvent[] = []
    const result = await deleteAccelerator(acc.arn, {
      aws,
      clock: quickClock,
      pageSize: 1,
      onEvent: (e) => events.push(e),
    })

    const calls = (await ga.calls()).slice(from)
    // The lab refused nothing: no UpdateAccelerator or DeleteAccelerator while IN_PROGRESS.
    expect(calls.filter((c) => c.error)).toEqual([])
    expect(calls.every((c) => c.region === 'us-west-2')).toBe(true)
    // Each run of DescribeAccelerator polls (as many as the lab's clock asks for) counts once.
    const ops = calls
      .map((c) => c.operation)
      .filter((op, i, all) => op !== 'DescribeAccelerator' || all[i - 1] !== op)
    expect(ops).toEqual([
      'DescribeAccelerator',
      'UpdateAccelerator',
      'DescribeAccelerator',
      'ListListeners',
      'ListListeners',
      'ListEndpointGroups',
      'ListEndpointGroups',
      'ListEndpointGroups',
      'ListEndpointGroups',
      'DeleteEndpointGroup',
      'DescribeAccelerator',
      'DeleteEndpointGroup',
      'DescribeAccelerator',
      'DeleteEndpointGroup',
      'DescribeAccelerator',
      'DeleteEndpointGroup',
      'DescribeAccelerator',
      'DeleteListener',
      'DescribeAccelerator',
      'DeleteListener',
      'DescribeAccelerator',
      'DeleteAccelerator',
    ])
    // After every change, ferry read DEPLOYED before it sent the next one.
    const described = (c: (typeof calls)[number] | undefined) =>
      c?.operation === 'DescribeAccelerator'
    calls.forEach((c, i) => {
      const next = calls[i + 1]
      if (described(c) && next && !described(next))
        expect((c.output as { Accelerator: { Status: string } }).Accelerator.Status).toBe(
          'DEPLOYED',
        )
    })
    expect(calls[1]!.input).toEqual({ AcceleratorArn: acc.arn, Enabled: false })
    expect(result.endpointGroups).toEqual(acc.endpointGroups.map((g) => g.arn))
    expect(result.listeners).toEqual(acc.listeners.map((l) => l.arn))
    expect(await left()).toEqual([])
    // Every wait is core's poller: progress events while IN_PROGRESS.
    expect(events.some((e) => e.type === 'wait:progress' && e.state === 'IN_PROGRESS')).toBe(true)

    // It says the static IPs are lost, in the result and as a warning event.
    expect(result).toMatchObject({
      arn: acc.arn,
      deleted: true,
      releasedIpAddresses: acc.ipAddresses,
    })
    for (const ip of acc.ipAddresses) expect(result.warning).toContain(ip)
    expect(events).toContainEqual({ type: 'warning', message: result.warning })
  })

  it('waits out a change still in progress before it disables (no UpdateAccelerator while IN_PROGRESS)', async () => {
    const acc = await createAccelerator({ ...input, wait: false }, { aws, clock: quickClock })
    const result = await deleteAccelerator(acc.arn, { aws, clock: quickClock })
    expect(result.deleted).toBe(true)
    expect((await ga.calls()).filter((c) => c.error)).toEqual([])
    expect(await left()).toEqual([])
  })

  it('skips the disable of an accelerator that is already disabled', async () => {
    const acc = await createAccelerator({ ...input, enabled: false }, { aws, clock: quickClock })
    const from = (await ga.mutations()).length
    await deleteAccelerator(acc.arn, { aws, clock: quickClock })
    expect((await ga.mutations()).slice(from)).toEqual([
      'DeleteEndpointGroup',
      'DeleteEndpointGroup',
      'DeleteEndpointGroup',
      'DeleteEndpointGroup',
      'DeleteListener',
      'DeleteListener',
      'DeleteAccelerator',
    ])
  })

  it('reports an accelerator that is already gone with deleted: false', async () => {
    const acc = await create('run-d3')
    await deleteAccelerator(acc.arn, { aws, clock: quickClock })
    const again = await deleteAccelerator(acc.arn, { aws, clock: quickClock })
    expect(again).toEqual({
      arn: acc.arn,
      deleted: false,
      releasedIpAddresses: [],
      warning: undefined,
      endpointGroups: [],
      listeners: [],
    })
  })

  it('its waits ride out throttling and surface a non-retryable error at once, with its cause', async () => {
    const acc = await createAccelerator({ ...input, wait: false }, { aws, clock: quickClock })
    const events: FerryEvent[] = []
    const wait = () =>
      waitForAcceleratorDeployed(ga.client, acc.arn, {
        maxWaitTime: 60_000,
        clock: quickClock,
        onEvent: (e) => events.push(e),
      })
    await ga.strict.inject({ operation: 'DescribeAccelerator', fault: 'throttle' })
    expect((await wait()).Status).toBe('DEPLOYED')
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'wait:progress', state: 'retrying after AWS' }),
    )
    await ga.strict.inject({
      operation: 'DescribeAccelerator',
      fault: { code: 'AccessDeniedException', message: 'not allowed' },
    })
    const from = (await ga.strict.calls()).length
    const error = await wait().catch((e: unknown) => e)
    expect(error).toMatchObject({ awsCode: 'AccessDeniedException', retryable: false })
    expect((error as Error).cause).toMatchObject({ name: 'AccessDeniedException' })
    expect((await ga.strict.calls()).slice(from).map((c) => c.operation)).toEqual([
      'DescribeAccelerator',
    ])
  })
})

describe('listAccelerators / deleteAcceleratorsByRun', () => {
  it('lists every accelerator across pages', async () => {
    const made = [
      await create('run-l1', 'a1'),
      await create('run-l1', 'a2'),
      await create('run-l2', 'a3'),
    ]
    const from = (await ga.calls()).length
    const listed = await listAccelerators({ aws, pageSize: 1 })
    const lists = (await ga.calls()).slice(from).filter((c) => c.operation === 'ListAccelerators')
    expect(lists).toHaveLength(3)
    expect(listed.map((a) => [a.arn, a.name, a.status, a.enabled])).toEqual(
      made.map((m) => [m.arn, m.name, 'DEPLOYED', true]),
    )
    expect(listed[0]!.ipAddresses).toEqual(made[0]!.ipAddresses)
  })

  it("deletes only the accelerators tagged with the run's id, and leaves none of them", async () => {
    const keep = await create('run-keep', 'keep')
    const drop = [await create('run-drop', 'drop1'), await create('run-drop', 'drop2')]
    const from = (await ga.calls()).length
    const results = await deleteAcceleratorsByRun({ runId: 'run-drop' }, { aws, clock: quickClock })
    expect(results.map((r) => [r.arn, r.deleted])).toEqual(drop.map((d) => [d.arn, true]))
    expect((await left()).map((a) => a.AcceleratorArn)).toEqual([keep.arn])
    const calls = (await ga.calls()).slice(from)
    expect(calls.filter((c) => c.operation === 'ListTagsForResource')).toHaveLength(3)
    expect(calls.filter((c) => c.error)).toEqual([])
  })
})
