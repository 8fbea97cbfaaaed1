import { createHash } from 'node:crypto'
import { ValidationError } from '@ferry/core'
import { describe, expect, it } from 'vitest'
import {
  callerReference,
  createInvalidationInput,
  deployIdOf,
  invalidationBatches,
} from './batches.js'

const numbered = (n: number, prefix = '/f/') =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`)

describe('callerReference', () => {
  it('hashes the distribution id, the deploy id and the sorted paths', () => {
    const expected = createHash('sha256').update('E1\0v1\0/a\n/b').digest('hex').slice(0, 48)
    expect(callerReference({ distributionId: 'E1', paths: ['/b', '/a'], deployId: 'v1' })).toBe(
      `ferry-${expected}`,
    )
  })

  it('changes with any of its parts and not with path order', () => {
    const base = { distributionId: 'E1', paths: ['/a', '/b'], deployId: 'v1' }
    const ref = callerReference(base)
    expect(callerReference({ ...base, paths: ['/b', '/a'] })).toBe(ref)
    expect(callerReference({ ...base, distributionId: 'E2' })).not.toBe(ref)
    expect(callerReference({ ...base, deployId: 'v2' })).not.toBe(ref)
    expect(callerReference({ ...base, deployId: undefined })).not.toBe(ref)
    expect(callerReference({ ...base, paths: ['/a'] })).not.toBe(ref)
  })
})

describe('invalidationBatches', () => {
  it('keeps up to 3,000 paths in one batch', () => {
    const batches = invalidationBatches({ distributionId: 'E1', paths: numbered(3000) })
    expect(batches).toHaveLength(1)
    expect(batches[0]!.paths).toHaveLength(3000)
  })

  it('splits 6,001 paths into 3,000 + 3,000 + 1, sorted, each with its own reference', () => {
    const paths = numbered(6001).reverse()
    const batches = invalidationBatches({ distributionId: 'E1', paths, deployId: 'v1' })
    expect(batches.map((b) => b.paths.length)).toEqual([3000, 3000, 1])
    expect(batches.flatMap((b) => b.paths)).toEqual(numbered(6001))
    expect(batches[2]!.paths).toEqual(['/f/06000'])
    expect(new Set(batches.map((b) => b.callerReference)).size).toBe(3)
    expect(batches[1]!.callerReference).toBe(
      callerReference({ distributionId: 'E1', paths: batches[1]!.paths, deployId: 'v1' }),
    )
  })

  it('puts at most 15 wildcard paths in a batch', () => {
    const wild = Array.from({ length: 20 }, (_, i) => `/w${String(i).padStart(2, '0')}/*`)
    const batches = invalidationBatches({ distributionId: 'E1', paths: ['/a', ...wild, '/z'] })
    expect(batches.map((b) => b.paths.length)).toEqual([16, 6])
    expect(batches[0]!.paths.filter((p) => p.endsWith('*'))).toHaveLength(15)
    expect(batches[1]!.paths).toEqual(['/w15/*', '/w16/*', '/w17/*', '/w18/*', '/w19/*', '/z'])
  })
})

describe('createInvalidationInput', () => {
  it('is the exact CreateInvalidation input', () => {
    expect(
      createInvalidationInput('E1', { callerReference: 'ferry-x', paths: ['/a', '/b/*'] }),
    ).toEqual({
      DistributionId: 'E1',
      InvalidationBatch: {
        CallerReference: 'ferry-x',
        Paths: { Quantity: 2, Items: ['/a', '/b/*'] },
      },
    })
  })
})

describe('deployIdOf', () => {
  it('takes printable ids and refuses the rest', () => {
    expect(deployIdOf(undefined)).toBeUndefined()
    expect(deployIdOf('v1.2.3+sha.abc')).toBe('v1.2.3+sha.abc')
    for (const bad of ['', 'a b', 'x'.repeat(129), 7, 'é'])
      expect(() => deployIdOf(bad)).toThrow(ValidationError)
  })
})
