import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import { FerryError } from './errors.js'
import { reveal, Secret, secret } from './secret.js'

describe('Secret', () => {
  const s = new Secret('hunter2')

  test('is redacted in strings, templates, JSON, inspect and error messages', () => {
    expect(String(s)).toBe('[REDACTED]')
    expect(`${s}`).toBe('[REDACTED]')
    expect(JSON.stringify({ s })).toBe('{"s":"[REDACTED]"}')
    expect(inspect(s)).toBe('Secret([REDACTED])')
    expect(inspect({ nested: { s } }, { depth: 5 })).not.toContain('hunter2')
    expect(new FerryError('VALIDATION', `bad ${s}`).message).not.toContain('hunter2')
    expect(Object.keys(s)).not.toContain('value')
  })

  test('reveal gives the value back', () => {
    expect(s.reveal()).toBe('hunter2')
    expect(reveal(s)).toBe('hunter2')
    expect(reveal('plain')).toBe('plain')
  })

  test('is() recognises a Secret from another copy of the package', () => {
    const foreign = { [Symbol.for('ferry:secret')]: true, reveal: () => 'x' }
    expect(Secret.is(foreign)).toBe(true)
    expect(Secret.is({})).toBe(false)
    expect(secret(s)).toBe(s)
  })
})
