// Tags on everything this package creates, and the filters that find them again.
import type { ResourceType, TagSpecification } from '@aws-sdk/client-ec2'
import { ferryTags, ValidationError, type Tag } from '@ferry/core'

/**
 * Marks resources made by @ferry/images, so teardown deletes only the volumes it made.
 * @example
 * const filters = [{ Name: `tag:${MODULE_TAG}`, Values: ['images'] }]
 */
export const MODULE_TAG = 'ferry:module'
/**
 * The source AMI of a copy: a re-run finds its copy by it.
 * @example
 * const source = image.Tags?.find((t) => t.Key === SOURCE_TAG)?.Value
 */
export const SOURCE_TAG = 'ferry:source'

/** What a created resource is tagged with. */
export interface TagInput {
  runId?: string
  step?: string
  name?: string
  tags?: Record<string, string>
}

/**
 * The tags of a created resource: Name, ferry:run, ferry:step, ferry:module, then the caller's.
 * @example
 * resourceTags({ runId: 'r1', step: 'bake', name: 'web' })
 */
export function resourceTags(o: TagInput): Tag[] {
  return ferryTags({
    runId: o.runId,
    step: o.step,
    name: o.name,
    extra: { [MODULE_TAG]: 'images', ...o.tags },
  })
}

/**
 * A TagSpecifications list for one resource type (empty tags → no specification).
 * @example
 * tagSpecifications('snapshot', resourceTags({ runId: 'r1' }))
 */
export function tagSpecifications(type: ResourceType, tags: Tag[]): TagSpecification[] {
  return tags.length ? [{ ResourceType: type, Tags: tags }] : []
}

/**
 * The tags in `wanted` that `have` lacks (or holds with another value).
 * @example
 * missingTags([{ Key: 'a', Value: '1' }], []) // [{ Key: 'a', Value: '1' }]
 */
export function missingTags(
  wanted: Tag[],
  have: readonly { Key?: string; Value?: string }[] = [],
): Tag[] {
  return wanted.filter((t) => !have.some((h) => h.Key === t.Key && h.Value === t.Value))
}

/**
 * Checks user tags: keys 1–128 characters, not starting with `aws:`; values up to 256.
 * @example
 * checkTags({ team: 'web' })
 */
export function checkTags(tags: Record<string, string> | undefined, field = 'tags'): void {
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (key.length < 1 || key.length > 128 || key.toLowerCase().startsWith('aws:'))
      throw new ValidationError({
        field: `${field}.${key}`,
        value: key,
        allowed: 'a tag key of 1–128 characters not starting with "aws:"',
      })
    if (typeof value !== 'string' || value.length > 256)
      throw new ValidationError({
        field: `${field}.${key}`,
        value,
        allowed: 'a tag value of at most 256 characters',
      })
  }
}
