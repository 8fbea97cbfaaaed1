import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './cli'

const cwd = mkdtempSync(join(tmpdir(), 'ferry-cli-'))
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, {
    print: (l) => out.push(l),
    printError: (l) => err.push(l),
    env: {},
    cwd,
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('ferry-lab', () => {
  it('explains itself', async () => {
    expect(await cli('--help')).toMatchObject({
      code: 0,
      out: expect.stringContaining('usage: ferry-lab'),
    })
    expect(await cli()).toMatchObject({ code: 1 })
    expect(await cli('sideways')).toMatchObject({
      code: 1,
      err: expect.stringContaining('unknown command sideways'),
    })
    expect(await cli('up', '--dir')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--dir needs'),
    })
  })

  it('reports no lab in ./.ferry-lab by default; down there is a no-op', async () => {
    expect(await cli('status')).toEqual({
      code: 1,
      out: `[lab] no lab in ${join(cwd, '.ferry-lab')}`,
      err: '',
    })
    expect(await cli('down')).toMatchObject({ code: 0 })
  })
})
