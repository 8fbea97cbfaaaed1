import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { uniqueName } from '@ferry/lab'
import { describe, expect, test } from 'vitest'
import { StepError } from '@ferry/core'
import { deploy, inventory, teardown } from '../src/index.js'
import { lab, labAws, labResolveHost } from './lab.js'

const fixture = fileURLToPath(new URL('./fixtures/crash-deploy.ts', import.meta.url))
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'ferry-pipeline-'))

type Event = { type: string; step?: string; operation?: string; instanceId?: string }

/** Runs the crash fixture; `killWhen` decides, event by event, when to SIGKILL it. */
function runFixture(
  args: string[],
  killWhen: (e: Event, seen: Event[]) => boolean = () => false,
  env: Record<string, string> = {},
) {
  return new Promise<{
    events: Event[]
    signal: NodeJS.Signals | null
    code: number | null
    stderr: string
  }>((resolve) => {
    const child = spawn(tsx, ['--conditions=@ferry/source', fixture, ...args], {
      env: { ...process.env, FERRY_LAB_STATE: lab().statePath, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const events: Event[] = []
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return
      const e = JSON.parse(line) as Event
      events.push(e)
      if (killWhen(e, events)) child.kill('SIGKILL')
    })
    child.on('exit', (code, signal) => resolve({ events, code, signal, stderr }))
  })
}

describe('pipeline against the lab', () => {
  test('SIGKILL in the middle of launch, then a re-run: exactly one instance and one security group; teardown leaves none', async () => {
    const runId = uniqueName('crash')
    const journal = join(dir, `${runId}.json`)
    const key = join(dir, `${runId}.pem`)
    // Kill right after RunInstances has answered (the next EC2 call proves it did), before the step ends.
    const first = await runFixture(
      [runId, journal, key],
      (e, seen) =>
        e.type === 'aws:call' &&
        seen.some((s) => s.operation === 'RunInstances') &&
        e.operation !== 'RunInstances',
    )
    expect(first.signal).toBe('SIGKILL')
    expect(first.events.some((e) => e.type === 'step:done')).toBe(false)
    const journalAfterKill = JSON.parse(readFileSync(journal, 'utf8'))
    expect(journalAfterKill.steps.launchWebServer.status).toBe('running')

    const between = await inventory(runId, { aws: labAws(), globalAccelerator: false, journal })
    expect(between.regions['us-east-1']!.instances).toHaveLength(1)

    // The re-run adopts what the killed attempt made and finishes.
    const second = await runFixture([runId, journal, key])
    expect(second.code, second.stderr).toBe(0)
    const result = second.events.find((e) => e.type === 'result')
    expect(result?.instanceId).toBe(between.regions['us-east-1']!.instances[0])
    const after = await inventory(runId, { aws: labAws(), globalAccelerator: false, journal })
    expect(after.regions['us-east-1']).toMatchObject({
      instances: [result!.instanceId],
      securityGroups: [expect.any(String)],
    })
    expect(after.regions['us-east-1']!.keyPairs).toHaveLength(1)

    // A third run skips every finished step and creates nothing.
    const third = await runFixture([runId, journal, key])
    expect(third.events.filter((e) => e.type === 'step:done' && 'skipped' in e).length).toBe(3)
    expect(third.events.some((e) => e.type === 'aws:call')).toBe(false)
    // The resumed runs logged in with the key, yet the journal holds only a reference to its file.
    const saved = readFileSync(journal, 'utf8')
    expect(saved).not.toContain('PRIVATE KEY')
    expect(saved).toContain(`"$secretFile": ${JSON.stringify(key)}`)

    const report = await teardown(runId, { aws: labAws(), globalAccelerator: false, journal })
    expect(report.ec2['us-east-1']!.instanceIds).toEqual([result!.instanceId])
    expect(
      (await inventory(runId, { aws: labAws(), globalAccelerator: false, journal })).total,
    ).toBe(0)
  })

  test('SIGKILL during a later step: the re-run skips the finished steps and resumes', async () => {
    const runId = uniqueName('resume')
    const journal = join(dir, `${runId}.json`)
    const key = join(dir, `${runId}.pem`)
    const first = await runFixture(
      [runId, journal, key],
      (e) => e.type === 'step:start' && e.step === 'slow',
      { SLOW_MS: '60000' },
    )
    expect(first.signal).toBe('SIGKILL')
    const second = await runFixture([runId, journal, key])
    expect(second.code, second.stderr).toBe(0)
    expect(
      second.events.filter((e) => e.type === 'step:done').map((e) => [e.step, 'skipped' in e]),
    ).toEqual([
      ['launchWebServer', true],
      ['openPorts', true],
      ['slow', false],
    ])
    const left = await inventory(runId, { aws: labAws(), globalAccelerator: false, journal })
    expect([
      left.regions['us-east-1']!.instances.length,
      left.regions['us-east-1']!.securityGroups.length,
    ]).toEqual([1, 1])
    await teardown(runId, { aws: labAws(), globalAccelerator: false, journal })
    expect(
      (await inventory(runId, { aws: labAws(), globalAccelerator: false, journal })).total,
    ).toBe(0)
  })

  test("a failing step with onFailure 'rollback' leaves no resource of the run", async () => {
    const info = lab()
    const runId = uniqueName('rollback')
    const journal = join(dir, `${runId}.json`)
    const error = await deploy({
      runId,
      journal,
      aws: labAws(info),
      resolveHost: labResolveHost(info),
      onFailure: 'rollback',
    })
      .launchWebServer(
        {
          name: 'rb',
          keyPair: { create: { path: join(dir, `${runId}.pem`) } },
          hostKey: { fingerprint: info.ssh.hostKeyFingerprint },
        },
        { waiterMinDelay: 200 },
      )
      .openPorts({ https: 'world', ssh: 'me' }, { myIp: () => Promise.resolve('203.0.113.9') })
      .step('explode', () => {
        throw new Error('the app failed its smoke test')
      })
      .run()
      .catch((e: unknown) => e)
    expect(StepError.is(error) && error.step).toBe('explode')
    const rollback = StepError.is(error) ? error.rollback : undefined
    expect(rollback?.failed).toEqual([])
    expect(rollback?.undone.map((u) => u.step)).toEqual(['openPorts', 'launchWebServer'])
    expect(
      (await inventory(runId, { aws: labAws(info), globalAccelerator: false, journal })).total,
    ).toBe(0)
  })
})
