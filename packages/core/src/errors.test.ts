import { describe, expect, test } from 'vitest'
import {
  AwsError,
  CommandError,
  ConnectionError,
  FerryError,
  isFerryError,
  StepError,
  TimeoutError,
  ValidationError,
} from './errors.js'

describe('FerryError', () => {
  test('carries a literal code, retryable and cause', () => {
    const cause = new Error('root')
    const e = new FerryError('CONFLICT', 'taken', { cause, retryable: true })
    expect(e).toBeInstanceOf(Error)
    expect([e.code, e.retryable, e.cause]).toEqual(['CONFLICT', true, cause])
    expect(new FerryError('NOT_FOUND', 'x').retryable).toBe(false)
  })

  test('is() works for an error from a second installed copy (same global brand)', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('ferry:error')]: true,
      code: 'VALIDATION',
    })
    expect(FerryError.is(foreign)).toBe(true)
    expect(ValidationError.is(foreign)).toBe(true)
    expect(CommandError.is(foreign)).toBe(false)
    expect(FerryError.is(new Error('plain'))).toBe(false)
    expect(FerryError.is(null)).toBe(false)
  })

  test('subclasses add data and say what to do', () => {
    const v = new ValidationError({
      field: 'port',
      value: 70000,
      allowed: 'an integer from 1 to 65535',
    })
    expect(v.message).toBe('Invalid port: 70000; expected an integer from 1 to 65535.')
    expect([v.code, v.field, v.value]).toEqual(['VALIDATION', 'port', 70000])

    const c = new CommandError({
      host: 'web-1',
      command: 'nginx -t',
      exitCode: 1,
      stderr: 'a\nb\nemerg: bad directive\n',
    })
    expect(c.message).toBe('Command on web-1 exited with 1: nginx -t\na\nb\nemerg: bad directive')
    expect(c.exitCode).toBe(1)

    expect(new ConnectionError({ host: 'h', port: 22, message: 'down' }).retryable).toBe(true)
    expect(
      new TimeoutError({ what: 'image available', waitedMs: 61_000, lastState: 'pending' }).message,
    ).toContain('(last state: pending)')

    const a = new AwsError({
      service: 'EC2',
      operation: 'RunInstances',
      awsCode: 'RequestLimitExceeded',
      message: 'slow down',
      requestId: 'req-1',
      retryable: true,
    })
    expect(a.message).toBe(
      'EC2 RunInstances failed with RequestLimitExceeded: slow down (request id req-1)',
    )
    expect(isFerryError(a, 'AWS')).toBe(true)

    const s = new StepError({ step: 'launch', runId: 'r1', cause: a })
    expect(s.message).toBe('Step "launch" failed: ' + a.message)
    expect(s.retryable).toBe(true)
  })
})
