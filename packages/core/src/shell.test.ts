import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { ValidationError } from './errors.js'
import { Secret } from './secret.js'
import { cmd, describeCommand, envPair, quote, render, sudo } from './shell.js'

// Runs a rendered line in a real sh and returns the argv it saw, NUL-separated.
const throughSh = (line: string): string[] => {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' })
  return out.split('\0').slice(0, -1)
}

const hostile = fc.oneof(
  fc.string({ unit: 'grapheme-ascii' }),
  fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\0', '')),
  fc.constantFrom(
    "'",
    '"',
    '$(id)',
    '`id`',
    '\\',
    '; rm -rf /',
    '*',
    '~',
    '-n',
    '\n',
    '$HOME',
    "'\\''",
    '!',
    '#',
    '&&',
    '|',
    '>x',
    ' ',
    '',
  ),
)

describe('quote', () => {
  test('any string without NUL passes through a real sh unchanged', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 5 }), (args) => {
        expect(throughSh(args.map(quote).join(' '))).toEqual(args)
      }),
      { numRuns: 300 },
    )
  })

  test('leaves plain words readable and quotes the rest', () => {
    expect(quote('nginx')).toBe('nginx')
    expect(quote('/etc/nginx/conf.d/a.conf')).toBe('/etc/nginx/conf.d/a.conf')
    expect(quote('')).toBe("''")
    expect(quote("it's")).toBe(`'it'\\''s'`)
    expect(quote('a b')).toBe("'a b'")
  })

  test('refuses NUL, which no shell argument can hold', () => {
    expect(() => quote('a\0b')).toThrow(ValidationError)
  })
})

describe('cmd and render', () => {
  test('cmd drops false, null and undefined and flattens arrays', () => {
    expect(cmd('docker', 'run', false, null, undefined, ['-p', '80:80'], 'img')).toEqual([
      'docker',
      'run',
      '-p',
      '80:80',
      'img',
    ])
  })

  test('secrets render redacted, and real only when revealed for the wire', () => {
    const line = cmd('docker', 'run', '-e', envPair('TOKEN', new Secret("s3cr'et")), 'img')
    expect(render(line)).toBe("docker run -e '[REDACTED]' img")
    expect(throughSh(render(line, { reveal: true }))).toEqual([
      'docker',
      'run',
      '-e',
      "TOKEN=s3cr'et",
      'img',
    ])
  })

  test('numbers render as text; non-finite numbers are refused', () => {
    expect(render(cmd('sleep', 5))).toBe('sleep 5')
    expect(() => render(cmd('sleep', Number.NaN))).toThrow(ValidationError)
  })

  test('sudo never prompts', () => {
    expect(sudo(cmd('nginx', '-t'))).toEqual(['sudo', '-n', '--', 'nginx', '-t'])
  })
})

describe('describeCommand', () => {
  test('a named shell script shows as its name and arguments, secrets redacted', () => {
    const script = 'set -e\necho "$@"\n'
    expect(describeCommand(cmd('bash', '-c', script, 'ferry-run', 'docker', new Secret('k')))).toBe(
      "ferry-run docker '[REDACTED]'",
    )
    expect(describeCommand(sudo(cmd('sh', '-c', script, 'ferry-nginx', '/run/nginx.pid')))).toBe(
      'sudo -n -- ferry-nginx /run/nginx.pid',
    )
  })

  test('anything else renders as it is', () => {
    expect(describeCommand(cmd('sh', '-c', 'echo hi'))).toBe("sh -c 'echo hi'")
    expect(describeCommand(cmd('sh', '-c', 'x', 'not a name'))).toBe("sh -c x 'not a name'")
    expect(describeCommand(sudo(cmd('nginx', '-t')))).toBe('sudo -n -- nginx -t')
  })
})
