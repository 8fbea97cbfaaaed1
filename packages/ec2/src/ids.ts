// Validators core does not have (yet): VPC and subnet ids, instance types, counts.
import { ValidationError } from '@ferry/core'

const awsId = (prefix: string, what: string) => {
  const pattern = new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
  return (value: unknown, field: string = what): string => {
    if (typeof value !== 'string' || !pattern.test(value))
      throw new ValidationError({
        field,
        value,
        allowed: `a ${what} like ${prefix}-0123456789abcdef0`,
      })
    return value
  }
}

/** A VPC id (`vpc-…`). @example vpcId('vpc-0123456789abcdef0') */
export const vpcId = awsId('vpc', 'VPC id')
/** A subnet id (`subnet-…`). @example subnetId('subnet-0123456789abcdef0') */
export const subnetId = awsId('subnet', 'subnet id')

/**
 * An EC2 instance type such as `t3.micro` or `m7g.large` (shape only; offerings are checked
 * against the Region where it matters).
 * @example
 * instanceType('t3.micro')
 */
export function instanceType(value: unknown, field = 'instanceType'): string {
  if (
    typeof value !== 'string' ||
    !/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(value) ||
    value.length > 64
  )
    throw new ValidationError({ field, value, allowed: 'an instance type such as t3.micro' })
  return value
}

/**
 * An integer in [min, max].
 * @example
 * intIn(2, { field: 'count', min: 1, max: 20 })
 */
export function intIn(value: unknown, o: { field: string; min: number; max: number }): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < o.min || value > o.max)
    throw new ValidationError({
      field: o.field,
      value,
      allowed: `an integer from ${o.min} to ${o.max}`,
    })
  return value
}
