import { ValidationError } from '@ferry/core'
import { describe, expect, it } from 'vitest'
import { collapsePaths } from './collapse.js'

const files = (dir: string, n: number) => Array.from({ length: n }, (_, i) => `${dir}${i}.js`)

describe('collapsePaths', () => {
  it('replaces more than `threshold` paths under a directory with one wildcard', () => {
    expect(collapsePaths([...files('/assets/', 3), '/index.html'], { threshold: 2 })).toEqual([
      '/assets/*',
      '/index.html',
    ])
  })

  it('leaves a directory at or under the threshold alone', () => {
    const paths = [...files('/assets/', 2), '/index.html']
    expect(collapsePaths(paths, { threshold: 2 })).toEqual([
      '/assets/0.js',
      '/assets/1.js',
      '/index.html',
    ])
  })

  it('prefers the deepest crowded directory; a collapsed one counts as one in its parent', () => {
    const paths = [...files('/assets/js/', 20), '/assets/css/a.css', '/assets/css/b.css']
    expect(collapsePaths(paths, { threshold: 10 })).toEqual([
      '/assets/css/a.css',
      '/assets/css/b.css',
      '/assets/js/*',
    ])
    // Several crowded children together crowd the parent.
    const many = [...files('/a/b/', 3), ...files('/a/c/', 3), ...files('/a/d/', 3)]
    expect(collapsePaths(many, { threshold: 2 })).toEqual(['/a/*'])
  })

  it('never produces /* unless minDepth is 0', () => {
    const top = ['/a.html', '/b.html', '/c.html']
    expect(collapsePaths(top, { threshold: 2 })).toEqual(top)
    expect(collapsePaths(top, { threshold: 2, minDepth: 0 })).toEqual(['/*'])
    expect(collapsePaths([...files('/x/y/', 5)], { threshold: 2, minDepth: 3 })).toEqual(
      files('/x/y/', 5).sort(),
    )
  })

  it('keeps given wildcards, counts query-string paths in their directory, and never costs more', () => {
    const paths = ['/img/*', '/img/a.png', '/app.js?v=1', '/app.js?v=2', '/app.js?next=/a/b/c']
    expect(collapsePaths(paths, { threshold: 5 })).toEqual([
      '/app.js?next=/a/b/c',
      '/app.js?v=1',
      '/app.js?v=2',
      '/img/*',
    ])
    for (const threshold of [1, 2, 3, 50]) {
      const input = [...files('/a/', 4), ...files('/a/b/', 3), '/c/d/e.js', '/f.js']
      expect(collapsePaths(input, { threshold }).length).toBeLessThanOrEqual(input.length)
    }
  })

  it('refuses a bad threshold or minDepth', () => {
    expect(() => collapsePaths(['/a'], { threshold: 0 })).toThrow(ValidationError)
    expect(() => collapsePaths(['/a'], { threshold: 1.5 })).toThrow(ValidationError)
    expect(() => collapsePaths(['/a'], { threshold: 2, minDepth: -1 })).toThrow(
      expect.objectContaining({ field: 'collapse.minDepth' }),
    )
  })
})
