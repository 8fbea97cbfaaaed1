// Docker's image reference grammar (distribution/reference), checked before any remote command:
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [ domain "/" ] path-component ( "/" path-component )*
// The first component is a domain only when it holds a "." or ":" or is "localhost" (Docker's
// own split rule). Docker also takes a dot-less upper-case first component as a domain; podman
// refuses it, and no registry answers to such a name, so ferry refuses it too.
import { ValidationError } from '@ferry/core'

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^sha256:[0-9a-f]{64}$/
// Docker's NameTotalLengthMax: the name (domain and path, without tag or digest).
const NAME_MAX = 255

/**
 * An image reference as Docker parses it (`[registry[:port]/]path[:tag][@sha256:…]`).
 * @example
 * imageRef('ghcr.io/acme/api:1.4') // 'ghcr.io/acme/api:1.4'
 */
export function imageRef(value: unknown, field = 'image'): string {
  if (typeof value !== 'string' || !isReference(value))
    throw new ValidationError({
      field,
      value,
      allowed:
        'an image reference such as ghcr.io/acme/api:1.4 (lower-case path; a registry has a "." or ":" or is localhost)',
    })
  return value
}

function isReference(value: string): boolean {
  const at = value.indexOf('@')
  const digest = at === -1 ? undefined : value.slice(at + 1)
  if (digest !== undefined && !DIGEST.test(digest)) return false
  const named = at === -1 ? value : value.slice(0, at)
  // A tag's ":" comes after the last "/" (a registry port's comes before it).
  const colon = named.lastIndexOf(':')
  const tagged = colon > named.lastIndexOf('/')
  const name = tagged ? named.slice(0, colon) : named
  if (tagged && !TAG.test(named.slice(colon + 1))) return false
  if (name.length === 0 || name.length > NAME_MAX) return false
  const components = name.split('/')
  const first = components[0]!
  const hasDomain =
    components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')
  if (hasDomain && !isDomain(first)) return false
  return components.slice(hasDomain ? 1 : 0).every((c) => PATH_COMPONENT.test(c))
}

function isDomain(domain: string): boolean {
  const [host = '', port, extra] = domain.split(':')
  if (extra !== undefined || (port !== undefined && !/^\d+$/.test(port))) return false
  return host.split('.').every((c) => DOMAIN_COMPONENT.test(c))
}
