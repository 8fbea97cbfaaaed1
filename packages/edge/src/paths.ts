// CloudFront invalidation paths: checked, percent-encoded the way CloudFront expects, and
// reduced to the smallest equivalent set (duplicates and paths under a wildcard dropped).
import { ValidationError } from '@ferry/core'

/**
 * CloudFront refuses invalidation paths longer than this.
 * @example
 * if (path.length > MAX_INVALIDATION_PATH_LENGTH) throw new Error('path too long')
 */
export const MAX_INVALIDATION_PATH_LENGTH = 4000

/**
 * Checks, encodes and de-duplicates invalidation paths; the result is sorted.
 * Each path must start with `/`; `*` may appear once, as the last character; control characters
 * are refused. Characters RFC 1738 calls unsafe (space, `"`, `#`, `<`, `>`, `[`, `]`, `{`, `}`,
 * `|`, `\`, `^`, `~`, backquote) and non-ASCII characters are percent-encoded as CloudFront asks;
 * existing `%XX` escapes are kept (hex upper-cased), a lone `%` becomes `%25`. A path covered by a
 * wildcard in the list (`/assets/app.js` under `/assets/*`) is dropped: it would be charged for
 * nothing. `/*` alone means everything.
 * @example
 * normalizeInvalidationPaths(['/a b.html', '/img/*', '/img/logo.png', '/a%20b.html'])
 * // ['/a%20b.html', '/img/*']
 */
export function normalizeInvalidationPaths(paths: unknown, field = 'paths'): string[] {
  if (!Array.isArray(paths) || paths.length === 0)
    throw new ValidationError({
      field,
      value: paths,
      allowed: 'a non-empty array of paths such as ["/index.html", "/assets/*"]',
    })
  const unique = new Set(paths.map((p, i) => encodeInvalidationPath(p, `${field}[${i}]`)))
  const sorted = [...unique].sort(compareCodeUnits)
  const wildcards = sorted.filter(isWildcardPath).map((w) => w.slice(0, -1))
  return sorted.filter((p) => !wildcards.some((w) => p !== `${w}*` && p.startsWith(w)))
}

/**
 * One path, checked and percent-encoded (see `normalizeInvalidationPaths`).
 * @example
 * encodeInvalidationPath('/docs/read me.html') // '/docs/read%20me.html'
 */
export function encodeInvalidationPath(value: unknown, field = 'path'): string {
  const fail = (allowed: string): never => {
    throw new ValidationError({ field, value, allowed })
  }
  if (typeof value !== 'string' || !value.startsWith('/'))
    return fail('an invalidation path starting with "/", such as /index.html or /assets/*')
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value))
    return fail('a path without control characters (newlines, tabs, NUL)')
  if (LONE_SURROGATE.test(value)) return fail('a path of well-formed Unicode text')
  const star = value.indexOf('*')
  if (star !== -1 && star !== value.length - 1)
    return fail('a path with "*" only as its last character, such as /assets/*')
  const encoded = encodeUnsafe(value)
  if (encoded.length > MAX_INVALIDATION_PATH_LENGTH)
    return fail(`a path of at most ${MAX_INVALIDATION_PATH_LENGTH} characters once encoded`)
  return encoded
}

/**
 * True for a path ending in the `*` wildcard (it counts as one path, whatever it matches).
 * @example
 * isWildcardPath('/assets/*') // true
 */
export function isWildcardPath(path: string): boolean {
  return path.endsWith('*')
}

/**
 * Sorts by UTF-16 code units, so the order never depends on the machine's locale.
 * @example
 * ['/b', '/B', '/a'].sort(compareCodeUnits) // ['/B', '/a', '/b']
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

// RFC 1738's unsafe characters, plus `%` when it does not start a valid escape.
const UNSAFE = new Set([' ', '"', '#', '<', '>', '[', ']', '{', '}', '|', '\\', '^', '~', '`'])

function encodeUnsafe(path: string): string {
  let out = ''
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!
    if (ch === '%') {
      const hex = path.slice(i + 1, i + 3)
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        out += `%${hex.toUpperCase()}`
        i += 2
      } else out += '%25'
    } else if (UNSAFE.has(ch)) out += percent(ch)
    else if (ch.charCodeAt(0) > 0x7e) {
      const cp = path.codePointAt(i)!
      const char = String.fromCodePoint(cp)
      out += encodeURIComponent(char)
      i += char.length - 1
    } else out += ch
  }
  return out
}

const percent = (ch: string) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
