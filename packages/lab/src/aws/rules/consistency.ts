// Eventual consistency. "Resources that you create ... might not be immediately available to
// subsequent API calls ... you might get a NotFound error" — AWS, "Eventual consistency in the
// Amazon EC2 API" (https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html).
// Deterministic here: the next `consistencyUses` requests that name a new id (other than the
// call that made it) answer the id's NotFound error, as a real account does for a moment —
// until a describe has listed it (then it is visible).
import { awsError } from '../respond'
import { xmlValues } from '../respond'
import type { Rule } from '../rule'

interface Fresh {
  remaining: number
  code: string
  what: string
}

// What each create makes: the XML tag of the new id, its NotFound code and how AWS words it.
const CREATES: Record<string, { tag: string; code: string; what: string }[]> = {
  RunInstances: [{ tag: 'instanceId', code: 'InvalidInstanceID.NotFound', what: 'instance ID' }],
  CreateSecurityGroup: [{ tag: 'groupId', code: 'InvalidGroup.NotFound', what: 'security group' }],
  CreateImage: [{ tag: 'imageId', code: 'InvalidAMIID.NotFound', what: 'image id' }],
  CopyImage: [{ tag: 'imageId', code: 'InvalidAMIID.NotFound', what: 'image id' }],
  RegisterImage: [{ tag: 'imageId', code: 'InvalidAMIID.NotFound', what: 'image id' }],
  CreateSnapshot: [{ tag: 'snapshotId', code: 'InvalidSnapshot.NotFound', what: 'snapshot' }],
  CopySnapshot: [{ tag: 'snapshotId', code: 'InvalidSnapshot.NotFound', what: 'snapshot' }],
  CreateVolume: [{ tag: 'volumeId', code: 'InvalidVolume.NotFound', what: 'volume' }],
}

/**
 * The eventual-consistency rule over a map of fresh ids (shared by every scope: ids are unique).
 * @example
 * const rule = consistencyRule()
 */
export function consistencyRule(): Rule & { fresh: Map<string, Fresh> } {
  const fresh = new Map<string, Fresh>()
  return {
    name: 'consistency',
    source: 'https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html',
    fresh,
    before({ request }) {
      if (request.service !== 'ec2' || fresh.size === 0) return undefined
      for (const [key, value] of request.params) {
        // A filter on a new id finds nothing rather than failing; only named ids are NotFound.
        if (key.startsWith('Filter.')) continue
        const entry = fresh.get(value)
        if (!entry) continue
        if (--entry.remaining <= 0) fresh.delete(value)
        return awsError(request, {
          code: entry.code,
          message: `The ${entry.what} '${value}' does not exist`,
        })
      }
      return undefined
    },
    after({ request, settings }, response) {
      // An id that a describe listed is visible: its NotFound moment has passed.
      if (request.service === 'ec2' && request.operation.startsWith('Describe') && fresh.size > 0)
        for (const [id] of response.body
          .toString('utf8')
          .matchAll(/\b(?:i|sg|ami|snap|vol)-[0-9a-f]{8,17}\b/g))
          fresh.delete(id)
      const creates = request.service === 'ec2' ? CREATES[request.operation] : undefined
      if (!creates || response.status !== 200 || settings.consistencyUses <= 0) return undefined
      for (const c of creates)
        for (const id of xmlValues(response.body, c.tag))
          fresh.set(id, { remaining: settings.consistencyUses, code: c.code, what: c.what })
      return undefined
    },
  }
}
