import { ValidationError } from '@ferry/core'
import { describe, expect, it } from 'vitest'
import { distributionRef } from './distribution.js'

describe('distributionRef', () => {
  it('reads ids and domain names', () => {
    expect(distributionRef('E2QWRUHAPOMQZL')).toEqual({ kind: 'id', id: 'E2QWRUHAPOMQZL' })
    expect(distributionRef('d111111abcdef8.cloudfront.net')).toEqual({
      kind: 'domain',
      domain: 'd111111abcdef8.cloudfront.net',
    })
    expect(distributionRef('WWW.Example.com.')).toEqual({
      kind: 'domain',
      domain: 'www.example.com',
    })
  })

  it('refuses anything else, naming both forms', () => {
    for (const bad of [
      'e2qwruhapomqzl',
      'E2Q',
      'not a domain.com',
      '-x.example.com',
      '',
      5,
      null,
    ]) {
      expect(() => distributionRef(bad), String(bad)).toThrow(ValidationError)
    }
    expect(() => distributionRef('nope')).toThrow(/distribution id such as E2QWRUHAPOMQZL.*aliases/)
  })
})
