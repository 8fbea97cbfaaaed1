// `invalidate` against the lab's moto over the real CloudFront wire protocol; every result is
// read back with a separate client.
import { randomUUID } from 'node:crypto'
import { CloudFrontClient } from '@aws-sdk/client-cloudfront'
import { FerryError, ValidationError, type FerryEvent } from '@ferry/core'
import { afterAll, describe, expect, it } from 'vitest'
import { invalidate, invalidateStep } from '../src/index.js'
import {
  adminCloudFront,
  createDistribution,
  readInvalidations,
  uniqueAlias,
} from './cloudfront-fixtures.js'
import { labAws } from './lab-aws.js'
import { testEnv } from './step-env.js'

const aws = labAws()
const admin = adminCloudFront()
afterAll(() => admin.destroy())

const calls = (events: FerryEvent[], operation: string) =>
  events.filter((e) => e.type === 'aws:call' && e.operation === operation).length

describe('invalidate (CloudFront on moto)', () => {
  it('finds a distribution by its domain name, invalidates, and the exact paths read back', async () => {
    const dist = await createDistribution(admin)
    const events: FerryEvent[] = []
    const result = await invalidate(
      {
        distribution: dist.domainName,
        paths: ['/index.html', '/docs/read me.html', '/assets/*', '/assets/app.js', '/index.html'],
        deployId: 'v1',
        wait: true,
      },
      { aws, onEvent: (e) => events.push(e) },
    )
    expect(result.distributionId).toBe(dist.id)
    expect(result.paths).toEqual(['/assets/*', '/docs/read%20me.html', '/index.html'])
    expect(result.chargedPaths).toBe(3)
    expect(result.completed).toBe(true)
    const stored = await readInvalidations(admin, dist.id)
    expect(stored).toEqual([
      {
        id: result.ids[0],
        callerReference: result.batches[0]!.callerReference,
        paths: ['/assets/*', '/docs/read%20me.html', '/index.html'],
      },
    ])
    expect(calls(events, 'CreateInvalidation')).toBe(1)
  })

  it('finds a distribution by an alias, paging through ListDistributions', async () => {
    const alias = uniqueAlias()
    const dist = await createDistribution(admin, [uniqueAlias('other'), alias])
    await createDistribution(admin, [uniqueAlias('noise')])
    const events: FerryEvent[] = []
    const result = await invalidate(
      { distribution: alias.toUpperCase(), paths: ['/*'], deployId: 'v1' },
      { aws, pageSize: 1, onEvent: (e) => events.push(e) },
    )
    expect(result.distributionId).toBe(dist.id)
    expect(calls(events, 'ListDistributions')).toBeGreaterThan(1)
    expect((await readInvalidations(admin, dist.id)).map((i) => i.paths)).toEqual([['/*']])
  })

  it('does not invalidate twice when re-run with the same input (moto does not dedupe; ferry checks)', async () => {
    const dist = await createDistribution(admin)
    const input = { distribution: dist.id, paths: ['/a.html', '/b.html'], deployId: 'v7' }
    const first = await invalidate(input, { aws })
    const events: FerryEvent[] = []
    const again = await invalidate(input, { aws, onEvent: (e) => events.push(e) })
    expect(again.ids).toEqual(first.ids)
    expect(again.batches[0]!.reused).toBe(true)
    expect(again.chargedPaths).toBe(0)
    expect(calls(events, 'CreateInvalidation')).toBe(0)
    expect(await readInvalidations(admin, dist.id)).toHaveLength(1)
    // A new deploy id is a new deploy: the same paths are invalidated again.
    const next = await invalidate({ ...input, deployId: 'v8' }, { aws })
    expect(next.ids[0]).not.toBe(first.ids[0])
    expect(await readInvalidations(admin, dist.id)).toHaveLength(2)
  })

  it('sends more than 3,000 paths in batches of at most 3,000, each read back', async () => {
    const dist = await createDistribution(admin)
    const paths = Array.from(
      { length: 6001 },
      (_, i) => `/files/${String(i).padStart(5, '0')}.html`,
    )
    const events: FerryEvent[] = []
    const result = await invalidate(
      { distribution: dist.id, paths, deployId: 'big' },
      { aws, onEvent: (e) => events.push(e) },
    )
    expect(calls(events, 'CreateInvalidation')).toBe(3)
    expect(result.batches.map((b) => b.paths.length)).toEqual([3000, 3000, 1])
    expect(result.chargedPaths).toBe(6001)
    const stored = await readInvalidations(admin, dist.id)
    expect(stored.map((s) => s.paths.length).sort()).toEqual([1, 3000, 3000])
    expect(stored.flatMap((s) => s.paths).sort()).toEqual(paths)
  })

  it('says with a warning that 3,001 paths go in two batches, as the docs promise', async () => {
    const dist = await createDistribution(admin)
    const paths = Array.from({ length: 3001 }, (_, i) => `/w/${String(i).padStart(4, '0')}.html`)
    const events: FerryEvent[] = []
    await invalidate(
      { distribution: dist.id, paths, deployId: 'split' },
      { aws, onEvent: (e) => events.push(e) },
    )
    expect(events.filter((e) => e.type === 'warning')).toEqual([
      {
        type: 'warning',
        message: `3001 paths on ${dist.id}: CloudFront takes at most 3000 in one invalidation, so they go in 2 invalidations (a later one may wait for earlier ones: 3000 paths may be in progress per distribution).`,
      },
    ])
  })

  it('collapses crowded directories when asked', async () => {
    const dist = await createDistribution(admin)
    const paths = [...Array.from({ length: 12 }, (_, i) => `/assets/${i}.js`), '/index.html']
    const result = await invalidate(
      { distribution: dist.id, paths, deployId: 'c1', collapse: { threshold: 10 } },
      { aws },
    )
    expect(result.chargedPaths).toBe(2)
    expect((await readInvalidations(admin, dist.id))[0]!.paths).toEqual([
      '/assets/*',
      '/index.html',
    ])
  })

  it('runs as a step: the run id is the deploy id, the journal makes a re-run reuse the invalidation', async () => {
    const dist = await createDistribution(admin, [uniqueAlias()])
    const step = invalidateStep({
      distribution: dist.domainName,
      paths: ['/index.html'],
      lookback: 0,
    })
    const env = testEnv({ runId: `run-${randomUUID()}`, step: 'invalidate', aws })
    const out = await step.run({}, env)
    expect(out.invalidation).toEqual({
      distributionId: dist.id,
      ids: [expect.any(String)],
      paths: ['/index.html'],
      chargedPaths: 1,
    })
    expect([...env.journal.values()]).toEqual(out.invalidation.ids)
    const again = await step.run({}, env)
    expect(again.invalidation.ids).toEqual(out.invalidation.ids)
    expect(again.invalidation.chargedPaths).toBe(0)
    expect(await readInvalidations(admin, dist.id)).toHaveLength(1)
  })

  it('says which domain it could not find', async () => {
    const missing = uniqueAlias('missing')
    const error = await invalidate({ distribution: missing, paths: ['/x'] }, { aws }).catch(
      (e) => e,
    )
    expect(FerryError.is(error) && error.code).toBe('NOT_FOUND')
    expect(String(error.message)).toContain(missing)
  })

  it('refuses bad input before any call', async () => {
    const cf = new CloudFrontClient({ region: 'us-east-1' })
    cf.send = () => {
      throw new Error('no call may be made')
    }
    const bad: [unknown, string][] = [
      [{ distribution: 'E2QWRUHAPOMQZL', paths: ['index.html'] }, 'paths[0]'],
      [{ distribution: 'E2QWRUHAPOMQZL', paths: ['/a*/b'] }, 'paths[0]'],
      [{ distribution: 'E2QWRUHAPOMQZL', paths: ['/ok', '/line\nbreak'] }, 'paths[1]'],
      [{ distribution: 'E2QWRUHAPOMQZL', paths: [] }, 'paths'],
      [{ distribution: 'not an id', paths: ['/x'] }, 'distribution'],
      [{ distribution: 'e2qwruhapomqzl', paths: ['/x'] }, 'distribution'],
      [{ distribution: 'E2QWRUHAPOMQZL', paths: ['/x'], deployId: 'has space' }, 'deployId'],
      [{ distribution: 'E2QWRUHAPOMQZL', paths: ['/x'], maxWaitTime: -1 }, 'maxWaitTime'],
      [
        { distribution: 'E2QWRUHAPOMQZL', paths: ['/x'], collapse: { threshold: 0 } },
        'collapse.threshold',
      ],
    ]
    for (const [input, field] of bad) {
      const error = await invalidate(input as never, { cloudFront: cf }).catch((e) => e)
      expect(ValidationError.is(error), JSON.stringify(input)).toBe(true)
      expect(error.field).toBe(field)
      expect(() => invalidateStep(input as never)).toThrow(ValidationError)
    }
  })
})
