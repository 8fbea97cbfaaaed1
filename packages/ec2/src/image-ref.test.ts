import { describe, expect, it } from 'vitest'
import { ValidationError } from '@ferry/core'
import { imageRef } from './image-ref.js'

const verdict = (value: unknown): string => {
  try {
    imageRef(value, 'image')
    return 'accepted'
  } catch (e) {
    return ValidationError.is(e) ? e.field : `not a ValidationError: ${String(e)}`
  }
}

describe('imageRef (Docker reference grammar)', () => {
  it('accepts names, registries (with a dot, a port or localhost), tags and digests', () => {
    for (const image of [
      'nginx',
      'library/nginx:1.27-alpine',
      'ghcr.io/acme/api:1.4',
      'Registry.Example.com/team/app',
      'registry.local:5000/team/app_x__y-z.w',
      'localhost/ferry-lab/httpd:1',
      'localhost:5000/app',
      `app@sha256:${'a'.repeat(64)}`,
      `ghcr.io/acme/api:1.4@sha256:${'0'.repeat(64)}`,
      'a'.repeat(255),
    ])
      expect([image, verdict(image)]).toEqual([image, 'accepted'])
  })

  it('refuses upper case in the path, a dot-less first component that is not a path, and bad tags', () => {
    for (const image of [
      'UPPER/case',
      'Upper',
      'acme/API',
      'ghcr.io/Acme/api',
      'nginx:',
      'nginx:-1',
      `nginx:${'t'.repeat(129)}`,
      'nginx@sha256:abc',
      'a..b',
      'a/',
      '/a',
      '-a',
      'a-',
      'ex-.com/a',
      'host:port/a',
      'a'.repeat(256),
      'a b',
      '',
      42,
    ])
      expect([image, verdict(image)]).toEqual([image, 'image'])
  })
})
