// A fault at each Global Accelerator call of createAccelerator in turn, injected by the lab's
// strict layer: an error before AWS sees the call, or a response lost after AWS carried it out.
// Afterwards the run holds exactly what a clean run holds (a lost response is retried by the SDK
// with the same IdempotencyToken), and teardown leaves nothing, counted with the test's own client.
import { ListAcceleratorsCommand } from '@aws-sdk/client-global-accelerator'
import type { FaultSpec } from '@ferry/lab'
import { describe, expect, it } from 'vitest'
import {
  createAccelerator,
  deleteAcceleratorsByRun,
  type CreateAcceleratorInput,
} from '../src/index.js'
import { labGlobalAccelerator, quickClock } from './ga-lab.js'

const input: CreateAcceleratorInput = {
  name: 'web',
  listeners: [{ ports: [80] }],
  endpoints: [
    { instanceId: 'i-0123456789abcdef0', region: 'us-east-1' },
    { instanceId: 'i-0123456789abcdef1', region: 'eu-west-1' },
  ],
}
const OPERATIONS = [
  'CreateAccelerator',
  'CreateListener',
  'CreateEndpointGroup',
  'DescribeAccelerator',
]
const FAULTS: FaultSpec['fault'][] = [
  { code: 'AccessDeniedException', message: 'not allowed' },
  'lose-response',
]

describe('a fault at each call of createAccelerator', () => {
  for (const operation of OPERATIONS)
    for (const fault of FAULTS)
      it(`${operation}: ${typeof fault === 'string' ? fault : fault.code}`, async () => {
        const ga = await labGlobalAccelerator('faults')
        const aws = { ...ga.aws, region: 'us-east-1' }
        const runId = `faults-${operation}`
        await ga.strict.inject({ operation, service: 'globalaccelerator', fault })
        const outcome = await createAccelerator(input, { aws, runId, clock: quickClock }).then(
          () => 'ok',
          (e: { awsCode?: string }) => e.awsCode,
        )
        const { accelerators, listeners, endpointGroups } = await ga.state()
        const held = [accelerators.length, listeners.length, endpointGroups.length]
        if (fault === 'lose-response') {
          // AWS did it, the SDK retried with the same token: one run's worth, no duplicates.
          expect(outcome).toBe('ok')
          expect(held).toEqual([1, 1, 2])
        } else {
          expect(outcome).toBe('AccessDeniedException')
          // Before the accelerator: nothing; during the creates: the rollback removed it all; in
          // the wait: it stays (it is only slow) for teardown or a re-run to take.
          expect(held).toEqual(operation === 'DescribeAccelerator' ? [1, 1, 2] : [0, 0, 0])
        }
        await deleteAcceleratorsByRun({ runId }, { aws, clock: quickClock })
        const left = await ga.client.send(new ListAcceleratorsCommand({ MaxResults: 100 }))
        expect(left.Accelerators).toEqual([])
        expect((await ga.calls()).filter((c) => c.error)).toEqual([])
      })
})
