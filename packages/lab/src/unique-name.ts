import { randomBytes } from 'node:crypto'

let counter = 0

/**
 * A name no other test file or parallel run will pick: prefix, process id, a per-process counter
 * and random hex, e.g. `web-4711-3-9f2c`. Safe for container names, key pairs and tags.
 *
 * @example
 * const name = uniqueName('web')   // 'web-4711-1-a3f09c'
 */
export function uniqueName(prefix: string): string {
  counter += 1
  return `${prefix}-${process.pid}-${counter}-${randomBytes(3).toString('hex')}`
}
