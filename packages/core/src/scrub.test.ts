import { describe, expect, test } from 'vitest'
import { scrub, SCRUB_PIECE } from './scrub.js'

const secret = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc' // 32 characters

describe('scrub', () => {
  test('redacts the whole value, as before', () => {
    expect(scrub(`token=${secret}!`, [secret])).toBe('token=[REDACTED]!')
    expect(scrub('pin 1234 ok', ['1234'])).toBe('pin [REDACTED] ok')
  })

  test(`redacts any piece of ${SCRUB_PIECE} characters or more, wherever it is cut`, () => {
    expect(scrub(`first 24: ${secret.slice(0, 24)}`, [secret])).toBe('first 24: [REDACTED]')
    expect(scrub(`tail ${secret.slice(-8)} end`, [secret])).toBe('tail [REDACTED] end')
    expect(scrub(`mid ${secret.slice(5, 19)}.`, [secret])).toBe('mid [REDACTED].')
    // Two pieces around other text are two redactions; the text between stays.
    expect(scrub(`${secret.slice(0, 10)} and ${secret.slice(12, 30)}`, [secret])).toBe(
      '[REDACTED] and [REDACTED]',
    )
    // A piece split over lines is still redacted on each line where it is long enough.
    expect(scrub(`${secret.slice(0, 16)}\n${secret.slice(16)}`, [secret])).toBe(
      '[REDACTED]\n[REDACTED]',
    )
  })

  test('keeps pieces shorter than the bound and text that merely shares characters', () => {
    expect(scrub(`short ${secret.slice(0, SCRUB_PIECE - 1)}`, [secret])).toBe(
      `short ${secret.slice(0, SCRUB_PIECE - 1)}`,
    )
    expect(scrub('nothing to see here', [secret])).toBe('nothing to see here')
    // Values under 4 characters are never scrubbed (they would eat ordinary text).
    expect(scrub('a b c', ['b'])).toBe('a b c')
  })

  test('several secrets at once', () => {
    const other = 'correct horse battery staple'
    expect(scrub(`${other.slice(8, 20)} / ${secret.slice(3, 12)}`, [secret, other])).toBe(
      '[REDACTED] / [REDACTED]',
    )
  })
})
