import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ValidationError } from '@ferry/core'
import { journalRegions } from './regions.js'
import { teardown, teardownRegions } from './teardown.js'

describe('teardown input', () => {
  test('a bad run id or region is refused before any AWS call', async () => {
    await expect(
      teardown('bad run id', { aws: { region: 'us-east-1', endpoint: 'http://127.0.0.1:9' } }),
    ).rejects.toSatisfy((e) => ValidationError.is(e) && e.field === 'runId')
    await expect(teardown('r1', { regions: ['mumbai'], journal: false })).rejects.toSatisfy(
      (e) => ValidationError.is(e) && e.field === 'regions',
    )
  })

  test('regions come from the options, the home region and every region the journal names', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'ferry-regions-')), 'r1.json')
    const journal = {
      version: 1,
      runId: 'r1',
      status: 'done',
      createdAt: '',
      updatedAt: '',
      steps: {
        launch: {
          status: 'done',
          startedAt: '',
          records: {},
          output: { server: { region: 'ap-south-1' } },
        },
        copy: {
          status: 'done',
          startedAt: '',
          records: {},
          output: { amiCopies: { 'us-west-1': 'ami-1', 'eu-west-1': 'ami-2' } },
        },
        odd: {
          status: 'done',
          startedAt: '',
          records: {},
          output: { note: { region: 'not-a-region' } },
        },
      },
    }
    await writeFile(path, JSON.stringify(journal))
    expect((await journalRegions('r1', path)).sort()).toEqual([
      'ap-south-1',
      'eu-west-1',
      'us-west-1',
    ])
    expect(await journalRegions('r1', join(tmpdir(), 'does-not-exist.json'))).toEqual([])
    expect(
      await teardownRegions('r1', {
        aws: { region: 'us-east-1' },
        regions: ['us-east-2'],
        journal: path,
      }),
    ).toEqual(['us-east-2', 'us-east-1', 'ap-south-1', 'us-west-1', 'eu-west-1'])
  })
})
