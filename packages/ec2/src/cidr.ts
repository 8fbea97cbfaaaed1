// CIDR blocks as EC2 stores them: the network address (host bits cleared), IPv6 compressed
// per RFC 5952, so a desired rule compares equal to the one EC2 reports back.
import { validate } from '@ferry/core'

/**
 * The IPv4 and IPv6 "anywhere" blocks.
 * @example
 * WORLD // ['0.0.0.0/0', '::/0']
 */
export const WORLD = ['0.0.0.0/0', '::/0'] as const

/**
 * A validated CIDR with its host bits cleared (a bare address becomes /32 or /128).
 * @example
 * networkCidr('203.0.113.77/24') // '203.0.113.0/24'
 * networkCidr('2001:DB8:0:0::1/64') // '2001:db8::/64'
 */
export function networkCidr(value: unknown, field = 'CIDR'): string {
  const block = validate.cidr(value, field)
  const [address = '', bits = '0'] = block.split('/')
  const prefix = Number(bits)
  return address.includes(':')
    ? `${compressV6(maskWords(v6Words(address), prefix, 16))}/${prefix}`
    : `${maskWords(address.split('.').map(Number), prefix, 8).join('.')}/${prefix}`
}

/**
 * True for a /0 block: the whole address family.
 * @example
 * isWorld('::/0') // true
 */
export function isWorld(cidr: string): boolean {
  return cidr.endsWith('/0')
}

/**
 * How many addresses of each family a set of CIDRs covers together (nested and repeated blocks
 * count once), so exposure is judged by the union, not by one block's text.
 * @example
 * addressesCovered(['0.0.0.0/1', '128.0.0.0/1']) // { v4: 4294967296n, v6: 0n }
 */
export function addressesCovered(cidrs: readonly string[]): { v4: bigint; v6: bigint } {
  const blocks = { v4: [] as [bigint, bigint][], v6: [] as [bigint, bigint][] }
  for (const block of cidrs) {
    const [address = '', bits = '0'] = networkCidr(block).split('/')
    const v6 = address.includes(':')
    const words = v6 ? v6Words(address) : address.split('.').map(Number)
    const width = v6 ? 16n : 8n
    const start = words.reduce((n, w) => (n << width) | BigInt(w), 0n)
    const size = 1n << BigInt((v6 ? 128 : 32) - Number(bits))
    blocks[v6 ? 'v6' : 'v4'].push([start, start + size])
  }
  return { v4: unionSize(blocks.v4), v6: unionSize(blocks.v6) }
}

// CIDR blocks are nested or disjoint: after sorting, a block inside the last kept one adds nothing.
function unionSize(ranges: [bigint, bigint][]): bigint {
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : Number(b[1] - a[1])))
  let total = 0n
  let end = -1n
  for (const [from, to] of ranges) {
    if (to <= end) continue
    total += to - from
    end = to
  }
  return total
}

// Keeps the first `prefix` bits of words that are `width` bits wide each.
function maskWords(words: number[], prefix: number, width: number): number[] {
  return words.map((word, i) => {
    const keep = Math.max(0, Math.min(width, prefix - i * width))
    const mask = keep === 0 ? 0 : (0xffff << (width - keep)) & ((1 << width) - 1)
    return word & mask
  })
}

function v6Words(address: string): number[] {
  let text = address.toLowerCase()
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex words.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0')
  return [...left, ...zeros, ...right].map((w) => parseInt(w, 16))
}

function compressV6(words: number[]): string {
  // RFC 5952: compress the longest run (≥ 2) of zero words, the first one on a tie.
  let best = { start: -1, length: 0 }
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && words[j] === 0) j++
    if (j - i > best.length) best = { start: i, length: j - i }
    i = j
  }
  const hex = words.map((w) => w.toString(16))
  if (best.length < 2) return hex.join(':')
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`
}
