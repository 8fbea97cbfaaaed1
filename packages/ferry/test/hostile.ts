// Shared pieces of the property tests: hostile values, CIDR sets that often add up to the whole
// internet, an EC2 client and a host that record every call (and answer only what the ports
// code needs), and an address-count oracle written apart from ferry's own.
import { isIP } from 'node:net'
import { CloudFrontClient } from '@aws-sdk/client-cloudfront'
import { EC2Client } from '@aws-sdk/client-ec2'
import fc from 'fast-check'
import { FerryError, ValidationError, type Host } from '@ferry/core'

/** Strings a hostile caller would try: shell, path, format and encoding tricks, and noise. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '$(id)',
    '`id`',
    '; rm -rf /',
    "'; DROP TABLE x; --",
    '../../etc/passwd',
    '/etc/shadow\n',
    'a\0b',
    'line\nbreak',
    '%s%n',
    '${IFS}',
    '*',
    '0.0.0.0/0',
    '::/0',
    'UPPER/case',
    'us-east-9',
    '\u202e',
    'é'.normalize('NFD'),
    'x'.repeat(5000),
  ),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 80 }),
  fc.stringMatching(/^[a-z0-9.:/*-]{0,40}$/),
)

/** A valid value three times in four, else a hostile one: accepted paths are exercised too. */
export const mostlyHostile = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: hostileValue, weight: 1 })
/** The same for object keys, which are strings. */
export const hostileKey = (valid: fc.Arbitrary<string>) =>
  fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: hostileString, weight: 1 })

/** Any value: hostile strings, odd numbers, and things that are not strings at all. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(NaN, Infinity, -1, 0, 1.5, 65_536, 2 ** 53, null, undefined, true),
  fc.integer(),
  fc.constant({}),
  fc.constant([]),
  fc.constant({ toString: () => '22' }),
)

const v4 = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`)
const v6 = fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`)

// The 2^bits blocks of one prefix length: together they are the whole family.
const tiling = fc
  .tuple(fc.boolean(), fc.integer({ min: 1, max: 6 }))
  .map(([six, bits]) =>
    Array.from({ length: 2 ** bits }, (_, i) =>
      six
        ? `${((i << (16 - bits)) & 0xffff).toString(16)}::/${bits}`
        : `${(i << (8 - Math.min(bits, 8))) & 0xff}.0.0.0/${bits}`,
    ),
  )

/** SSH sources: tilings of the whole internet (often cut short), CIDRs, 'world', 'me', junk. */
export const sourceSet: fc.Arbitrary<unknown[]> = fc.oneof(
  tiling,
  tiling.chain((all) => fc.subarray(all)),
  fc.array(fc.oneof(v4, v6, fc.ipV4(), fc.constantFrom('world', 'me', '10.0.0.0/8')), {
    maxLength: 6,
  }),
  fc.array(hostileValue, { maxLength: 3 }),
)

/** What a `myIp` resolver might answer. */
export const meAnswer: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0.0.0.0/0', '::/0', '0.0.0.0/1', '203.0.113.0/24', '2001:db8::/64'),
  fc.ipV4(),
  fc.ipV6(),
  v4,
  v6,
  hostileString,
)

/** Addresses a set of CIDRs covers per family: the test's own parse and interval merge. */
export function covered(cidrs: readonly string[]): { v4: bigint; v6: bigint } {
  const spans = { v4: [] as [bigint, bigint][], v6: [] as [bigint, bigint][] }
  for (const block of cidrs) {
    const [address = '', prefix = ''] = block.split('/')
    const family = isIP(address)
    const width = family === 4 ? 32 : 128
    const start = family === 4 ? v4Number(address) : v6Number(address)
    const size = 1n << BigInt(width - Number(prefix))
    const base = (start / size) * size
    spans[family === 4 ? 'v4' : 'v6'].push([base, base + size])
  }
  const total = (list: [bigint, bigint][]) => {
    list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    let sum = 0n
    let end = -1n
    for (const [from, to] of list) {
      const start = from > end ? from : end
      if (to > start) sum += to - start
      if (to > end) end = to
    }
    return sum
  }
  return { v4: total(spans.v4), v6: total(spans.v6) }
}

const v4Number = (a: string) => a.split('.').reduce((n, o) => n * 256n + BigInt(o), 0n)

function v6Number(a: string): bigint {
  const [head = '', tail] = a.split('::')
  const groups = (s: string) => (s ? s.split(':') : [])
  const words = [...groups(head)]
  if (tail !== undefined) {
    const rest = groups(tail)
    words.push(...Array<string>(8 - words.length - rest.length).fill('0'), ...rest)
  }
  return words.reduce((n, w) => n * 65_536n + BigInt(parseInt(w || '0', 16)), 0n)
}

/** A /7's worth of one family: where ferry draws the line for SSH (SSH_WORLD_PREFIX). */
export const SSH_LIMIT = { v4: 1n << 25n, v6: 1n << 121n }

/** An EC2 client that records every command; the ports code gets an empty group back. */
export function recordingEc2(): EC2Client & { calls: { name: string; input: unknown }[] } {
  const calls: { name: string; input: unknown }[] = []
  // A real client (paginators check the class) whose send never leaves the process.
  const client = new EC2Client({ region: 'us-east-1', credentials: offline })
  client.send = ((command: { constructor: { name: string }; input: unknown }) => {
    calls.push({ name: command.constructor.name, input: command.input })
    if (command.constructor.name === 'DescribeSecurityGroupRulesCommand')
      return Promise.resolve({ SecurityGroupRules: [] })
    if (command.constructor.name === 'AuthorizeSecurityGroupIngressCommand')
      return Promise.resolve({ Return: true })
    return Promise.reject(new Error(`reached AWS: ${command.constructor.name}`))
  }) as never
  return Object.assign(client, { calls })
}

/** A CloudFront client that records every command and answers none. */
export function recordingCloudFront(): CloudFrontClient & { calls: unknown[] } {
  const calls: unknown[] = []
  const client = new CloudFrontClient({ region: 'us-east-1', credentials: offline })
  client.send = ((command: unknown) => {
    calls.push(command)
    return Promise.reject(new Error('reached AWS: CloudFront'))
  }) as never
  return Object.assign(client, { calls })
}

const offline = { accessKeyId: 'offline', secretAccessKey: 'offline' }

/** A host that records and refuses every call. */
export function recordingHost(): Host & { calls: string[] } {
  const calls: string[] = []
  const refuse = (what: string) => () => {
    calls.push(what)
    return Promise.reject(new Error(`reached the host: ${what}`))
  }
  return {
    name: 'recording',
    calls,
    run: refuse('run'),
    writeFile: refuse('writeFile'),
    writeFiles: refuse('writeFiles'),
    readFile: refuse('readFile'),
    exists: refuse('exists'),
    close: () => Promise.resolve(),
  }
}

/**
 * The refusal rule: an error is a ValidationError (a FerryError, code VALIDATION) whose field
 * is a non-empty name rooted in one of `roots`; anything else fails the property.
 */
export function expectRefusal(error: unknown, roots: readonly string[]): void {
  if (!FerryError.is(error) || !ValidationError.is(error))
    throw new Error(`not a typed refusal: ${String(error)}`, { cause: error })
  const root = error.field.split(/[.[]/)[0] ?? ''
  if (!error.field || !roots.includes(root))
    throw new Error(`refusal names "${error.field}", not one of ${roots.join(', ')}`)
}
