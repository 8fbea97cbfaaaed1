import { describe, expect, it } from 'vitest'
import { uniqueName } from './unique-name'

describe('uniqueName', () => {
  it('carries the prefix and pid and never repeats', () => {
    const names = Array.from({ length: 100 }, () => uniqueName('web'))
    expect(new Set(names).size).toBe(100)
    expect(names[0]).toMatch(new RegExp(`^web-${process.pid}-\\d+-[0-9a-f]{6}$`))
  })
})
