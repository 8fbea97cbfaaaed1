import { describe, expect, test } from 'vitest'
import { FerryError, TimeoutError } from './errors.js'
import type { FerryEvent } from './events.js'
import { backoffDelay, retry, waitFor, type Clock } from './wait.js'

// A fake clock: time only moves when the code under test sleeps.
const fakeClock = () => {
  const clock = {
    t: 0,
    sleeps: [] as number[],
    now: () => clock.t,
    random: () => 0.5,
    sleep: async (ms: number) => void (clock.sleeps.push(ms), (clock.t += ms)),
  }
  return clock satisfies Clock
}

describe('backoff', () => {
  test('grows by factor up to the cap; jitter draws from [d/2, d]', () => {
    const p = { minDelayMs: 1000, maxDelayMs: 5000, factor: 2, jitter: false }
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(p, n))).toEqual([1000, 2000, 4000, 5000, 5000])
    expect(backoffDelay({ ...p, jitter: true }, 2, () => 0)).toBe(1000)
    expect(backoffDelay({ ...p, jitter: true }, 2, () => 1)).toBe(2000)
  })
})

describe('waitFor', () => {
  test('polls until done, emitting progress with the state seen', async () => {
    const clock = fakeClock()
    const events: FerryEvent[] = []
    const states = ['IN_PROGRESS', 'IN_PROGRESS', 'DEPLOYED']
    const value = await waitFor(
      async (n) =>
        states[n - 1] === 'DEPLOYED'
          ? { done: true, value: n }
          : { done: false, state: states[n - 1] },
      {
        what: 'accelerator DEPLOYED',
        clock,
        onEvent: (e) => events.push(e),
        backoff: { jitter: false, minDelayMs: 100, factor: 2 },
      },
    )
    expect(value).toBe(3)
    expect(clock.sleeps).toEqual([100, 200])
    expect(events).toEqual([
      {
        type: 'wait:progress',
        what: 'accelerator DEPLOYED',
        attempt: 1,
        elapsedMs: 0,
        state: 'IN_PROGRESS',
        percent: undefined,
      },
      {
        type: 'wait:progress',
        what: 'accelerator DEPLOYED',
        attempt: 2,
        elapsedMs: 100,
        state: 'IN_PROGRESS',
        percent: undefined,
      },
    ])
  })

  test('gives up at maxWaitTime with a TimeoutError naming the last state', async () => {
    const clock = fakeClock()
    const run = waitFor(async () => ({ done: false, state: 'pending' }), {
      what: 'image available',
      maxWaitTime: 10_000,
      clock,
    })
    await expect(run).rejects.toSatisfy(
      (e) => TimeoutError.is(e) && e.lastState === 'pending' && e.waitedMs === 10_000,
    )
    expect(clock.t).toBe(10_000)
  })

  test('retryable errors count as not yet; others propagate', async () => {
    const clock = fakeClock()
    let n = 0
    const value = await waitFor(
      async () => {
        if (++n < 3) throw new FerryError('AWS', 'throttled', { retryable: true })
        return { done: true, value: 'ok' }
      },
      { what: 'x', clock },
    )
    expect([value, n]).toEqual(['ok', 3])
    await expect(
      waitFor(async () => Promise.reject(new FerryError('AWS', 'denied')), { what: 'x', clock }),
    ).rejects.toThrow('denied')
  })

  test('stops at once when aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(
      waitFor(async () => ({ done: false }), { what: 'x', signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'ABORTED' })
  })
})

describe('retry', () => {
  test('retries retryable errors up to the attempt limit, then throws the last', async () => {
    const clock = fakeClock()
    let calls = 0
    const failing = () => {
      calls++
      return Promise.reject(new FerryError('CONNECTION', `refused ${calls}`, { retryable: true }))
    }
    await expect(
      retry(
        failing,
        { attempts: 3, minDelayMs: 10, maxDelayMs: 10, factor: 1, jitter: false },
        { clock },
      ),
    ).rejects.toThrow('refused 3')
    expect(clock.sleeps).toEqual([10, 10])
  })

  test('does not retry a final error', async () => {
    let calls = 0
    await expect(
      retry(() => Promise.reject(new FerryError('HOST_KEY_MISMATCH', String(++calls))), {
        attempts: 5,
        minDelayMs: 1,
        maxDelayMs: 1,
        factor: 1,
        jitter: false,
      }),
    ).rejects.toThrow('1')
  })
})
