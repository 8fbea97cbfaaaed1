import { ValidationError } from '@ferry/core'
import { describe, expect, it } from 'vitest'
import { encodeInvalidationPath, normalizeInvalidationPaths } from './paths.js'

describe('encodeInvalidationPath', () => {
  it('encodes what RFC 1738 calls unsafe and non-ASCII, and nothing else', () => {
    expect(encodeInvalidationPath('/docs/read me.html')).toBe('/docs/read%20me.html')
    expect(encodeInvalidationPath('/a"b#c<d>e[f]g{h}i|j\\k^l~m`n')).toBe(
      '/a%22b%23c%3Cd%3Ee%5Bf%5Dg%7Bh%7Di%7Cj%5Ck%5El%7Em%60n',
    )
    expect(encodeInvalidationPath('/café/日本.png')).toBe('/caf%C3%A9/%E6%97%A5%E6%9C%AC.png')
    expect(encodeInvalidationPath('/emoji/😀')).toBe('/emoji/%F0%9F%98%80')
    expect(encodeInvalidationPath("/keep/-_.!$&'()+,;=:@/x.js?v=1&w=2")).toBe(
      "/keep/-_.!$&'()+,;=:@/x.js?v=1&w=2",
    )
  })

  it('keeps valid escapes (hex upper-cased) and encodes a lone %', () => {
    expect(encodeInvalidationPath('/a%20b%2fc')).toBe('/a%20b%2Fc')
    expect(encodeInvalidationPath('/50%off')).toBe('/50%25off')
    expect(encodeInvalidationPath('/end%')).toBe('/end%25')
  })

  it('allows one * as the last character only', () => {
    expect(encodeInvalidationPath('/*')).toBe('/*')
    expect(encodeInvalidationPath('/assets/app-*')).toBe('/assets/app-*')
    for (const bad of ['/a*/b', '/**', '/*.js', '*'])
      expect(() => encodeInvalidationPath(bad)).toThrow(ValidationError)
  })

  it('refuses paths without a leading slash, control characters, broken Unicode, overlong paths', () => {
    const bad = ['index.html', '', ' /x', '/a\nb', '/a\tb', '/a\u0000', '/a\u007f', '/\ud800x']
    for (const path of bad) {
      const error = (() => {
        try {
          encodeInvalidationPath(path, 'paths[3]')
        } catch (e) {
          return e
        }
      })()
      expect(ValidationError.is(error), JSON.stringify(path)).toBe(true)
      expect((error as ValidationError).field).toBe('paths[3]')
    }
    expect(encodeInvalidationPath(`/${'a'.repeat(3999)}`)).toHaveLength(4000)
    expect(() => encodeInvalidationPath(`/${'a'.repeat(4000)}`)).toThrow(/at most 4000/)
    // Encoding counts: 1,334 spaces become 4,002 characters.
    expect(() => encodeInvalidationPath(`/${' '.repeat(1334)}`)).toThrow(ValidationError)
    expect(() => encodeInvalidationPath(42)).toThrow(ValidationError)
  })
})

describe('normalizeInvalidationPaths', () => {
  it('de-duplicates after encoding and sorts by code units', () => {
    expect(normalizeInvalidationPaths(['/b', '/a b', '/a%20b', '/B', '/b'])).toEqual([
      '/B',
      '/a%20b',
      '/b',
    ])
  })

  it('drops paths a wildcard already covers', () => {
    expect(
      normalizeInvalidationPaths([
        '/assets/*',
        '/assets/app.js',
        '/assets/img/*',
        '/assets/',
        '/assetsfoo',
        '/index.html',
      ]),
    ).toEqual(['/assets/*', '/assetsfoo', '/index.html'])
    expect(normalizeInvalidationPaths(['/x', '/*', '/y/*'])).toEqual(['/*'])
    expect(normalizeInvalidationPaths(['/app*', '/app.js', '/app/x'])).toEqual(['/app*'])
  })

  it('names the bad element and refuses a non-array or empty list', () => {
    expect(() => normalizeInvalidationPaths(['/ok', 'bad'])).toThrow(
      expect.objectContaining({ field: 'paths[1]' }),
    )
    expect(() => normalizeInvalidationPaths([])).toThrow(
      expect.objectContaining({ field: 'paths' }),
    )
    expect(() => normalizeInvalidationPaths('/x')).toThrow(
      expect.objectContaining({ field: 'paths' }),
    )
  })
})
