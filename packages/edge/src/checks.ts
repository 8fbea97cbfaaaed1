// Small input checks shared by the accelerator modules; each throws a ValidationError naming the field.
import { ValidationError } from '@ferry/core'

/**
 * One of a fixed set of strings.
 * @example
 * oneOf('TCP', ['TCP', 'UDP'], 'protocol') // 'TCP'
 */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T))
    throw new ValidationError({ field, value, allowed: `one of ${allowed.join(', ')}` })
  return value as T
}

/**
 * A boolean.
 * @example
 * flag(true, 'wait') // true
 */
export function flag(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean')
    throw new ValidationError({ field, value, allowed: 'true or false' })
  return value
}

/**
 * A wait time in milliseconds, at least one second.
 * @example
 * milliseconds(60_000, 'maxWaitTime') // 60000
 */
export function milliseconds(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1000)
    throw new ValidationError({ field, value, allowed: 'a number of milliseconds, at least 1000' })
  return value
}

/**
 * An integer within [min, max].
 * @example
 * integerIn(128, [0, 255], 'weight') // 128
 */
export function integerIn(
  value: unknown,
  [min, max]: readonly [number, number],
  field: string,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new ValidationError({ field, value, allowed: `an integer from ${min} to ${max}` })
  return value
}
