// Pure reads of a described AMI, and the AMI name rule.
import type { Image } from '@aws-sdk/client-ec2'
import { ValidationError } from '@ferry/core'

/** What ferry needs to know about an AMI. */
export interface ImageFacts {
  imageId: string
  name: string | undefined
  state: string | undefined
  /** The EBS snapshots behind its block device mappings. */
  snapshotIds: string[]
  /** True when any of its EBS snapshots is encrypted. */
  encrypted: boolean
  public: boolean
}

/**
 * The facts of a described image.
 * @example
 * imageFacts({ ImageId: 'ami-1', BlockDeviceMappings: [{ Ebs: { SnapshotId: 'snap-1', Encrypted: true } }] })
 */
export function imageFacts(image: Image): ImageFacts {
  const ebs = (image.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs ? [m.Ebs] : []))
  return {
    imageId: image.ImageId ?? '',
    name: image.Name,
    state: image.State,
    snapshotIds: ebs.flatMap((e) => (e.SnapshotId ? [e.SnapshotId] : [])),
    encrypted: ebs.some((e) => e.Encrypted === true),
    public: image.Public === true,
  }
}

/**
 * An AMI name as EC2 accepts it: 3–128 characters of letters, digits and `()[] ./-'@_`.
 * @example
 * amiName('web-2024-06-01') // 'web-2024-06-01'
 */
export function amiName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/.test(value))
    throw new ValidationError({
      field,
      value,
      allowed: "3–128 characters: letters, digits, spaces and ( ) [ ] . / - ' @ _",
    })
  return value
}

/**
 * A default AMI name: unique per run and step, else per source and time.
 * @example
 * defaultAmiName({ runId: 'r1', step: 'bake', sourceId: 'i-1', now: 0 }) // 'ferry-r1-bake'
 */
export function defaultAmiName(o: {
  runId?: string
  step: string
  sourceId: string
  now: number
}): string {
  const raw = o.runId
    ? `ferry-${o.runId}-${o.step}`
    : `ferry-${o.sourceId}-${new Date(o.now)
        .toISOString()
        .replace(/[:]/g, '-')
        .replace(/\.\d+Z$/, 'Z')}`
  return raw.replace(/[^A-Za-z0-9()[\] ./\-'@_]/g, '-').slice(0, 128)
}
