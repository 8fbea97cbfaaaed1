// The opt-in planner that trades many invalidation paths for one wildcard, since CloudFront
// charges per path (past the free 1,000 a month) and `/assets/*` counts as one.
import { ValidationError } from '@ferry/core'
import { compareCodeUnits, normalizeInvalidationPaths } from './paths.js'

/** When to replace the paths under a directory with `directory/*`. */
export interface CollapseOptions {
  /** Collapse a directory when more than this many paths fall under it (after its subdirectories collapsed). */
  threshold: number
  /** The shallowest directory that may become a wildcard: 1 (default) allows `/assets/*`, 0 also allows `/*`. */
  minDepth?: number
}

/**
 * Collapses the paths under a directory into one wildcard when more than `threshold` of them
 * fall under it. Works bottom-up, so `/assets/js/*` is preferred to `/assets/*` when only the
 * `js` directory is crowded; a collapsed subdirectory counts as one path in its parent.
 * The result is normalised (sorted, de-duplicated). Pure.
 * @example
 * collapsePaths(['/assets/a.js', '/assets/b.js', '/assets/c.js', '/index.html'], { threshold: 2 })
 * // ['/assets/*', '/index.html']
 */
export function collapsePaths(paths: readonly string[], options: CollapseOptions): string[] {
  const threshold = integer(options.threshold, 'collapse.threshold', 1)
  const minDepth = integer(options.minDepth ?? 1, 'collapse.minDepth', 0)
  const root = directory('/')
  for (const path of normalizeInvalidationPaths(paths)) insert(root, path)
  settle(root, 0, { threshold, minDepth })
  const out: string[] = []
  emit(root, out)
  return normalizeInvalidationPaths(out.sort(compareCodeUnits))
}

interface Directory {
  prefix: string
  files: string[]
  dirs: Map<string, Directory>
  /** A `prefix*` wildcard was given, or the planner chose one. */
  wildcard: boolean
}

const directory = (prefix: string): Directory => ({
  prefix,
  files: [],
  dirs: new Map(),
  wildcard: false,
})

function insert(root: Directory, path: string): void {
  // A query string may hold slashes; only the part before it names directories.
  const segments = (path.split('?')[0] ?? path).split('/').slice(1, -1)
  let node = root
  for (const name of segments) {
    let next = node.dirs.get(name)
    if (!next) node.dirs.set(name, (next = directory(`${node.prefix}${name}/`)))
    node = next
  }
  if (path === `${node.prefix}*`) node.wildcard = true
  else node.files.push(path)
}

/** Returns how many paths the directory costs after collapsing. */
function settle(node: Directory, depth: number, o: { threshold: number; minDepth: number }) {
  if (node.wildcard) return 1
  let count = node.files.length
  for (const child of node.dirs.values()) count += settle(child, depth + 1, o)
  if (count > o.threshold && depth >= o.minDepth) {
    node.wildcard = true
    return 1
  }
  return count
}

function emit(node: Directory, out: string[]): void {
  if (node.wildcard) {
    out.push(`${node.prefix}*`)
    return
  }
  out.push(...node.files)
  for (const child of node.dirs.values()) emit(child, out)
}

function integer(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new ValidationError({ field, value, allowed: `an integer of at least ${min}` })
  return value
}
