// Property: each public validator either returns a value that is what it promises (an oracle
// per validator) or refuses with a ValidationError naming its field; never another error.
import { isIP } from 'node:net'
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { AWS_REGIONS, validate, type PortRange } from '@ferry/core'
import { expectRefusal, mostlyHostile } from './hostile.js'

let inputs = 0
afterAll(() => expect(inputs).toBeGreaterThanOrEqual(600))

// Each validator, its default field, a valid value, and what an accepted value must be.
const safeName = (r: unknown) => typeof r === 'string' && /^[\w.-]+$/.test(r)
const validators: [
  string,
  (v: unknown) => unknown,
  string,
  fc.Arbitrary<unknown>,
  (r: unknown) => boolean,
][] = [
  [
    'port',
    (v) => validate.port(v),
    'port',
    fc.integer({ min: 1, max: 65535 }),
    (r) => Number.isInteger(r) && (r as number) >= 1 && (r as number) <= 65535,
  ],
  [
    'portRange',
    (v) => validate.portRange(v),
    'port range',
    fc.constantFrom('80-90', 443),
    (r) => (r as PortRange).from <= (r as PortRange).to,
  ],
  ['cidr', (v) => validate.cidr(v), 'CIDR', fc.ipV4(), (r) => isIP(String(r).split('/')[0]!) !== 0],
  [
    'region',
    (v) => validate.region(v),
    'region',
    fc.constantFrom('us-east-1', 'us-east-9'),
    (r) => AWS_REGIONS.includes(r as string),
  ],
  [
    'accountId',
    (v) => validate.accountId(v),
    'account id',
    fc.stringMatching(/^\d{12}$/),
    (r) => /^\d{12}$/.test(r as string),
  ],
  [
    'dnsName',
    (v) => validate.dnsName(v),
    'domain name',
    fc.domain(),
    (r) => (r as string).length <= 253 && r === (r as string).toLowerCase(),
  ],
  [
    'urlPath',
    (v) => validate.urlPath(v),
    'path',
    fc.webPath(),
    (r) => /^\/[^\s"'{};\\]*$/.test(r as string),
  ],
  [
    'containerName',
    (v) => validate.containerName(v),
    'container name',
    fc.constant('api-1'),
    safeName,
  ],
  [
    'envKey',
    (v) => validate.envKey(v),
    'environment variable name',
    fc.constant('DB_URL'),
    safeName,
  ],
  ['resourceName', (v) => validate.resourceName(v), 'name', fc.constant('web-key'), safeName],
  [
    'instanceId',
    (v) => validate.instanceId(v),
    'instance id',
    fc.constant('i-01234567'),
    (r) => /^i-[0-9a-f]+$/.test(r as string),
  ],
]

describe('hostile inputs to the validators', () => {
  test.each(validators)('validate.%s', (_name, check, field, valid, ok) => {
    fc.assert(
      fc.property(mostlyHostile(valid), (value) => {
        inputs++
        let result: unknown
        try {
          result = check(value)
        } catch (error) {
          expectRefusal(error, [field])
          return
        }
        expect(ok(result)).toBe(true)
      }),
      { numRuns: 60 },
    )
  })
})
