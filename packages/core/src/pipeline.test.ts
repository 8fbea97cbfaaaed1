import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { FerryError, StepError } from './errors.js'
import type { FerryEvent } from './events.js'
import { pipeline } from './pipeline.js'
import { Secret } from './secret.js'
import { defineStep, idempotencyToken } from './step.js'
import { createStepEnv } from './step-env.js'

// Sealed secrets need a journal key: this one, not one made in the home directory.
process.env.FERRY_JOURNAL_KEY ??= Buffer.alloc(32, 1).toString('base64')
const tempJournal = async () => join(await mkdtemp(join(tmpdir(), 'ferry-journal-')), 'run.json')

// A step that creates a named thing in a fake "cloud" and can undo it.
const creating = <TName extends string>(cloud: Set<string>, name: TName) =>
  defineStep({
    name,
    run: async (_ctx: object, env) => {
      cloud.add(`${name}:${env.token()}`)
      return { [name]: { id: `${name}-id`, key: new Secret(`${name}-secret`) } } as Record<
        TName,
        { id: string; key: Secret }
      >
    },
    undo: async (_ctx, env) => {
      cloud.delete(`${name}:${env.token()}`)
      return `deleted ${name}`
    },
    plan: (ctx, env) => [
      {
        kind: 'aws',
        service: 'EC2',
        operation: 'Create',
        input: { name, token: env.token(), after: String((ctx as { a?: { id: unknown } }).a?.id) },
      },
    ],
  })

describe('pipeline run', () => {
  test('runs steps in order with events, and journals outputs (secrets sealed, file 0600)', async () => {
    const cloud = new Set<string>()
    const journal = await tempJournal()
    const events: FerryEvent[] = []
    const report = await pipeline({ runId: 'r-order', journal })
      .use(creating(cloud, 'a'))
      .step('b', (ctx) => ({ b: `${ctx.a.id}+b` }))
      .run({ onEvent: (e) => events.push(e) })
    expect(report.context.b).toBe('a-id+b')
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['a', 'done'],
      ['b', 'done'],
    ])
    expect(events.map((e) => `${e.type}:${'step' in e ? e.step : ''}`)).toEqual([
      'step:start:a',
      'step:done:a',
      'step:start:b',
      'step:done:b',
    ])
    expect((await stat(journal)).mode & 0o777).toBe(0o600)
    const saved = JSON.parse(await readFile(journal, 'utf8'))
    expect(saved.status).toBe('done')
    // The secret is sealed under the journal key, never written as it is (journal.test.ts).
    expect(JSON.stringify(saved)).not.toContain('a-secret')
    expect(saved.steps.a.output.a.key).toEqual({
      $sealed: expect.any(String),
      keyId: expect.any(String),
    })
  })

  test('a re-run with the same run id skips finished steps and resumes with their outputs', async () => {
    const cloud = new Set<string>()
    const journal = await tempJournal()
    let failNext = true
    const flaky = defineStep({
      name: 'flaky',
      run: async (ctx: { a: { id: string; key: Secret } }) => {
        if (failNext) throw new FerryError('CONNECTION', 'dropped', { retryable: true })
        return { flaky: `${ctx.a.id}:${ctx.a.key.reveal()}` }
      },
    })
    const p = pipeline({ runId: 'r-resume', journal }).use(creating(cloud, 'a')).use(flaky)
    await expect(p.run()).rejects.toSatisfy(
      (e) => StepError.is(e) && e.step === 'flaky' && e.retryable,
    )
    failNext = false
    const events: FerryEvent[] = []
    const report = await p.run({ onEvent: (e) => events.push(e) })
    expect(report.context.flaky).toBe('a-id:a-secret')
    expect(report.steps.map((s) => s.status)).toEqual(['skipped', 'done'])
    expect(cloud.size).toBe(1)
    expect(events[0]).toEqual({ type: 'step:done', step: 'a', durationMs: 0, skipped: true })
  })

  test("onFailure 'rollback' undoes finished steps in reverse and reports what it removed", async () => {
    const cloud = new Set<string>()
    const order: string[] = []
    const tracked = (name: string) => {
      const s = creating(cloud, name)
      return {
        ...s,
        undo: async (ctx: never, env: Parameters<NonNullable<typeof s.undo>>[1]) => (
          order.push(name),
          s.undo!(ctx, env)
        ),
      }
    }
    const p = pipeline({ runId: 'r-rollback', journal: false, onFailure: 'rollback' })
      .use(tracked('a'))
      .use(tracked('b'))
      .step('plain', () => ({ plain: true }))
      .step('boom', () => {
        throw new Error('step exploded')
      })
    const error = await p.run().catch((e: unknown) => e)
    expect(StepError.is(error) && error.message).toBe('Step "boom" failed: step exploded')
    expect(cloud.size).toBe(0)
    expect(order).toEqual(['b', 'a'])
    expect(StepError.is(error) && error.rollback).toEqual({
      undone: [
        { step: 'b', message: 'deleted b' },
        { step: 'a', message: 'deleted a' },
      ],
      failed: [],
      notUndoable: ['plain'],
    })
  })

  test("onFailure 'keep' leaves finished steps in place", async () => {
    const cloud = new Set<string>()
    const p = pipeline({ journal: false })
      .use(creating(cloud, 'a'))
      .step('boom', () => Promise.reject(new Error('no')))
    await expect(p.run()).rejects.toThrow('Step "boom" failed: no')
    expect(cloud.size).toBe(1)
  })

  test('a journal of another run is refused', async () => {
    const journal = await tempJournal()
    await pipeline({ runId: 'one', journal })
      .step('x', () => ({ x: 1 }))
      .run()
    await expect(
      pipeline({ runId: 'two', journal })
        .step('x', () => ({ x: 1 }))
        .run(),
    ).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  test('duplicate step names get stable suffixes; tokens are stable per run and step', async () => {
    const cloud = new Set<string>()
    const p = pipeline({ runId: 'r-dup', journal: false })
      .use(creating(cloud, 'a'))
      .use(creating(cloud, 'a'))
    expect(p.steps.map((s) => s.name)).toEqual(['a', 'a#2'])
    await p.run()
    expect([...cloud]).toEqual([
      `a:${idempotencyToken('r-dup', 'a')}`,
      `a:${idempotencyToken('r-dup', 'a#2')}`,
    ])
    expect(idempotencyToken('r', 's', 'p')).toHaveLength(46)
  })
})

describe('plan and preflight', () => {
  test('plan lists each step with placeholders for earlier values, running nothing', () => {
    const cloud = new Set<string>()
    const plan = pipeline({ runId: 'r-plan' })
      .use(creating(cloud, 'a'))
      .use(creating(cloud, 'b'))
      .step('custom', () => ({}))
      .plan()
    expect(cloud.size).toBe(0)
    expect(plan).toEqual([
      {
        step: 'a',
        entries: [
          {
            kind: 'aws',
            service: 'EC2',
            operation: 'Create',
            input: { name: 'a', token: idempotencyToken('r-plan', 'a'), after: '{{a.id}}' },
          },
        ],
      },
      {
        step: 'b',
        entries: [
          {
            kind: 'aws',
            service: 'EC2',
            operation: 'Create',
            input: { name: 'b', token: idempotencyToken('r-plan', 'b'), after: '{{a.id}}' },
          },
        ],
      },
      {
        step: 'custom',
        entries: [{ kind: 'note', text: 'custom step: runs your function; no plan available' }],
      },
    ])
  })

  test('preflight reports each step that lacks permission, creating nothing', async () => {
    const denied = defineStep({
      name: 'denied',
      run: async () => ({}),
      preflight: async () => {
        throw new FerryError('AWS', 'UnauthorizedOperation: ec2:RunInstances')
      },
    })
    const allowed = defineStep({
      name: 'allowed',
      run: async () => ({}),
      preflight: async () => {},
    })
    const report = await pipeline()
      .use(allowed)
      .use(denied)
      .step('custom', () => ({}))
      .preflight()
    expect(report.ok).toBe(false)
    expect(report.steps.map((s) => [s.step, s.ok, s.checked, s.error?.message])).toEqual([
      ['allowed', true, true, undefined],
      ['denied', false, true, 'UnauthorizedOperation: ec2:RunInstances'],
      ['custom', true, false, undefined],
    ])
  })
})

describe('createStepEnv', () => {
  test('drives one step by hand with the same tokens, records and target mapping as a run', async () => {
    const target = {
      host: '127.0.0.1',
      port: 2222,
      username: 'u',
      privateKey: 'k',
      hostKey: { acceptAny: true as const },
    }
    const env = createStepEnv({ runId: 'r-env', step: 's', resolveHost: () => target })
    expect(env.token('x')).toBe(idempotencyToken('r-env', 's', 'x'))
    await env.record('id', 'i-1')
    expect(env.recorded('id')).toBe('i-1')
    expect(env.journal.step('s')?.records).toEqual({ id: 'i-1' })
    expect(
      await env.target({
        ssh: { username: 'x', privateKey: new Secret('k'), hostKey: { acceptAny: true } },
      }),
    ).toBe(target)
    expect(env.client('c', () => ({ n: 1 }))).toBe(env.client('c', () => ({ n: 2 })))
    await env.close()
  })
})
