import { PassThrough } from 'node:stream'
import { stripVTControlCharacters } from 'node:util'
import { describe, expect, test } from 'vitest'
import { FerryError } from './errors.js'
import { createReporter } from './reporter.js'

const capture = () => {
  const stream = Object.assign(new PassThrough(), {
    isTTY: false,
  }) as unknown as NodeJS.WriteStream & PassThrough
  const chunks: string[] = []
  ;(stream as PassThrough).on('data', (c: Buffer) => chunks.push(c.toString()))
  return { stream, text: () => stripVTControlCharacters(chunks.join('')) }
}

describe('terminal reporter', () => {
  test('prints plain lines outside a TTY; remote output only when verbose', () => {
    const out = capture()
    const report = createReporter({ stream: out.stream, interactive: false })
    report({ type: 'step:start', step: 'launch' })
    report({
      type: 'wait:progress',
      step: 'launch',
      what: 'instance running',
      attempt: 1,
      elapsedMs: 1500,
      state: 'pending',
    })
    report({ type: 'remote:stdout', host: 'web', line: 'hidden' })
    report({ type: 'step:done', step: 'launch', durationMs: 12_345 })
    report({
      type: 'step:fail',
      step: 'proxy',
      durationMs: 200,
      error: new FerryError('COMMAND_FAILED', 'nginx -t failed'),
    })
    report({ type: 'warning', message: 'SSH is open to the world' })
    expect(out.text()).toBe(
      [
        '› launch',
        '  waiting for instance running: pending 1.5 s',
        '✓ launch 12.3 s',
        '✗ proxy 0.2 s: nginx -t failed',
        '! SSH is open to the world',
        '',
      ].join('\n'),
    )
  })

  test('verbose shows remote commands and output', () => {
    const out = capture()
    const report = createReporter({ stream: out.stream, interactive: false, verbose: true })
    report({ type: 'remote:command', host: 'web', command: 'nginx -t' })
    report({ type: 'remote:stderr', host: 'web', line: 'syntax is ok' })
    expect(out.text()).toBe('  $ nginx -t\n  web| syntax is ok\n')
  })
})
