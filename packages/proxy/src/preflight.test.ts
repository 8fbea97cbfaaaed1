import { expect, test } from 'vitest'
import { CertificateError } from './errors.js'
import { checkDns, type Resolver } from './preflight.js'

const table: Record<string, string[]> = {
  'a.example.com': ['192.0.2.10'],
  'b.example.com': ['192.0.2.99', '192.0.2.10'],
  'elsewhere.example.com': ['198.51.100.1'],
  'server.example.com': ['192.0.2.10'],
}
const resolve: Resolver = async (name) => {
  const found = table[name]
  if (!found) throw Object.assign(new Error(`queryA ENOTFOUND ${name}`), { code: 'ENOTFOUND' })
  return found
}

test('passes when every domain has one of the server addresses', async () => {
  await expect(checkDns(['a.example.com', 'b.example.com'], '192.0.2.10', resolve)).resolves.toBe(
    undefined,
  )
  // A server known by DNS name is resolved too.
  await expect(checkDns(['a.example.com'], 'server.example.com', resolve)).resolves.toBe(undefined)
})

test('names the domain that points elsewhere, and where', async () => {
  const error = await checkDns(
    ['a.example.com', 'elsewhere.example.com'],
    '192.0.2.10',
    resolve,
  ).catch((e: unknown) => e)
  expect(CertificateError.is(error)).toBe(true)
  expect(error).toMatchObject({
    reason: 'dns',
    domain: 'elsewhere.example.com',
    code: 'PRECONDITION',
  })
  expect((error as Error).message).toBe(
    'elsewhere.example.com resolves to 198.51.100.1, not to the server (192.0.2.10). Point its A/AAAA record at the server, wait for DNS, then retry.',
  )
})

test('a name that does not resolve at all', async () => {
  const error = await checkDns(['missing.example.com'], '192.0.2.10', resolve).catch(
    (e: unknown) => e,
  )
  expect((error as Error).message).toContain('missing.example.com resolves to nothing')
})
