import { describe, expect, it } from 'vitest'
import { pebbleEnv } from './pebble'

describe('pebbleEnv', () => {
  const base = { PATH: '/bin', PEBBLE_VA_ALWAYS_VALID: '1', PEBBLE_WFE_NONCEREJECT: '90' }

  it('validates for real, without sleeps, and injects no badNonce by default', () => {
    expect(pebbleEnv(undefined, base)).toEqual({
      PATH: '/bin',
      PEBBLE_VA_NOSLEEP: '1',
      PEBBLE_WFE_NONCEREJECT: '0',
    })
    expect(pebbleEnv(false, base).PEBBLE_WFE_NONCEREJECT).toBe('0')
  })

  it("leaves pebble's default 5% for nonceReject: true, or sets a percentage", () => {
    expect(pebbleEnv(true, base)).not.toHaveProperty('PEBBLE_WFE_NONCEREJECT')
    expect(pebbleEnv(50, base).PEBBLE_WFE_NONCEREJECT).toBe('50')
  })
})
