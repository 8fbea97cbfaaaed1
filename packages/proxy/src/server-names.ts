// nginx keeps server names in hash buckets of server_names_hash_bucket_size bytes (64 on the
// usual 64-byte cache lines). A name that does not fit fails `nginx -t` ("could not build
// server_names_hash"); ferry refuses it first, naming the field. nginx's sizes (64-bit):
// one entry is 8 + align8(length + 2) bytes, and a bucket keeps 8 more for its end mark.
import { ValidationError } from '@ferry/core'

/**
 * nginx's default `server_names_hash_bucket_size` on 64-byte cache lines (x86-64, Graviton).
 * @example
 * serverNameLimit(DEFAULT_BUCKET_SIZE) // 46
 */
export const DEFAULT_BUCKET_SIZE = 64

/**
 * The longest name (or, for a `*.` wildcard, the longest label) a bucket of `bucketSize` holds.
 * @example
 * serverNameLimit(128) // 110
 */
export function serverNameLimit(bucketSize: number): number {
  return bucketSize - 18
}

/**
 * Refuses a server name nginx could not hash with buckets of `bucketSize` bytes. Exact names
 * count whole; wildcard names are hashed label by label.
 * @example
 * checkServerName('api.example.com', { bucketSize: 64, field: 'routes["api.example.com"]' })
 */
export function checkServerName(name: string, o: { bucketSize: number; field: string }): string {
  const limit = serverNameLimit(o.bucketSize)
  const parts = name.startsWith('*.') ? name.slice(2).split('.') : [name]
  if (parts.every((p) => p.length <= limit)) return name
  throw new ValidationError({
    field: o.field,
    value: name,
    allowed: `a host name of at most ${limit} characters (for *. names, labels of at most ${limit}): nginx's server_names_hash_bucket_size ${o.bucketSize} holds no more; if the host's nginx.conf sets a larger one, pass nginx.serverNamesHashBucketSize`,
  })
}
