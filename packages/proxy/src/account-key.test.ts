import { createPrivateKey } from 'node:crypto'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FerryEvent } from '@ferry/core'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { defaultAccountKeyPath, loadAccountKey } from './account-key.js'
import { CertificateError } from './errors.js'

let dir = ''
let events: FerryEvent[] = []
const emit = (e: FerryEvent) => events.push(e)
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-acct-'))
  events = []
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test('default path: per directory host under ~/.ferry/acme', () => {
  expect(defaultAccountKeyPath('https://127.0.0.1:14000/dir', '/home/me')).toBe(
    '/home/me/.ferry/acme/127.0.0.1_14000/account.key',
  )
})

test('creates a 0600 key in a 0700 directory once, then reuses it', async () => {
  const path = join(dir, 'acme', 'ca', 'account.key')
  const first = await loadAccountKey(path, { emit })
  expect(first.created).toBe(true)
  expect(statSync(path).mode & 0o777).toBe(0o600)
  expect(statSync(join(dir, 'acme', 'ca')).mode & 0o777).toBe(0o700)
  expect(createPrivateKey(first.key.reveal()).asymmetricKeyType).toBe('ec')
  const second = await loadAccountKey(path, { emit })
  expect(second.created).toBe(false)
  expect(second.key.reveal()).toBe(first.key.reveal())
  expect(readFileSync(path, 'utf8')).toBe(first.key.reveal())
  // The event names the path, never the key.
  expect(JSON.stringify(events)).not.toContain('PRIVATE KEY')
  expect(String(first.key)).toBe('[REDACTED]')
})

test('never overwrites a file that is not a key', async () => {
  const path = join(dir, 'account.key')
  writeFileSync(path, 'my notes', { mode: 0o600 })
  const error = await loadAccountKey(path, { emit }).catch((e: unknown) => e)
  expect(CertificateError.is(error) && error.reason).toBe('account-key')
  expect((error as Error).message).toContain(path)
  expect(readFileSync(path, 'utf8')).toBe('my notes')
})

test('warns about a key others can read, and uses it', async () => {
  const path = join(dir, 'account.key')
  const { key } = await loadAccountKey(path, { emit })
  chmodSync(path, 0o644)
  const again = await loadAccountKey(path, { emit })
  expect(again.key.reveal()).toBe(key.reveal())
  expect(events).toContainEqual({
    type: 'warning',
    message: `ACME account key ${path} is mode 644; run chmod 600 on it`,
  })
})
