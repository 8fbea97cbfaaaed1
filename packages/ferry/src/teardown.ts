// teardown(runId): everything a run created, found by its ferry:run tag, deleted in dependency
// order: accelerators (they point at instances), then per region AMIs with their snapshots and
// volumes, then instances (waiting until terminated), security groups and key pairs.
import {
  createEmitter,
  validate,
  ValidationError,
  type AwsOptions,
  type EventSink,
} from '@ferry/core'
import { deleteEc2ByRun, type DeletedByRun } from '@ferry/ec2'
import { deleteAcceleratorsByRun, type DeleteAcceleratorResult } from '@ferry/edge'
import { deleteImagesByRun, type RegionTeardown } from '@ferry/images'
import type { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator'
import { journalRegions } from './regions.js'

/** Options of a teardown. */
export interface TeardownOptions {
  aws?: AwsOptions
  /** Regions to search besides `aws.region` and those in the run's journal. */
  regions?: string[]
  /** The run's journal (default `.ferry/runs/<runId>.json`), read for the regions it touched; `false` to skip. */
  journal?: string | false
  /** A Global Accelerator client (us-west-2), or `false` to skip accelerators (e.g. against moto). */
  globalAccelerator?: GlobalAcceleratorClient | false
  /** Longest wait for instances to terminate or an accelerator to disable, ms. */
  maxWaitTime?: number
  onEvent?: EventSink
  signal?: AbortSignal
}

/** What a teardown deleted. */
export interface TeardownReport {
  runId: string
  regions: string[]
  accelerators: DeleteAcceleratorResult[]
  images: Record<string, RegionTeardown>
  ec2: Record<string, DeletedByRun>
}

/**
 * Deletes everything a run created, in every region it touched. Safe to run twice.
 * @example
 * const report = await teardown('run-20261122-ab12cd', { aws: { region: 'ap-south-1' }, regions: ['us-west-1'] })
 */
export async function teardown(
  runId: string,
  options: TeardownOptions = {},
): Promise<TeardownReport> {
  if (typeof runId !== 'string' || !/^[\w.:-]{1,128}$/.test(runId)) {
    throw new ValidationError({
      field: 'runId',
      value: runId,
      allowed: '1–128 letters, digits, ".", "_", ":" or "-"',
    })
  }
  const regions = await teardownRegions(runId, options)
  const emit = createEmitter(options.onEvent, { step: 'teardown' })
  const aws = options.aws ?? {}
  const common = { aws, onEvent: options.onEvent, signal: options.signal }
  let accelerators: DeleteAcceleratorResult[] = []
  if (options.globalAccelerator !== false) {
    emit({ type: 'step:progress', step: 'teardown', message: 'deleting accelerators (us-west-2)' })
    accelerators = await deleteAcceleratorsByRun(
      { runId },
      {
        ...common,
        ...(options.globalAccelerator ? { globalAccelerator: options.globalAccelerator } : {}),
        maxWaitTime: options.maxWaitTime,
      },
    )
  }
  emit({
    type: 'step:progress',
    step: 'teardown',
    message: `deleting AMIs, snapshots and volumes in ${regions.join(', ')}`,
  })
  const images = await deleteImagesByRun({ runId, regions }, common)
  const ec2: Record<string, DeletedByRun> = {}
  for (const region of regions) {
    emit({
      type: 'step:progress',
      step: 'teardown',
      message: `deleting instances, security groups and key pairs in ${region}`,
    })
    ec2[region] = await deleteEc2ByRun(
      { runId, region },
      { ...common, maxWaitTime: options.maxWaitTime },
    )
  }
  return { runId, regions, accelerators, images, ec2 }
}

/**
 * The regions to clean: given, the client's own, and every region the journal names.
 * @example
 * await teardownRegions(runId, { aws }) // ['us-east-1', 'eu-west-1']
 */
export async function teardownRegions(
  runId: string,
  options: Pick<TeardownOptions, 'aws' | 'regions' | 'journal'>,
): Promise<string[]> {
  const fromJournal = await journalRegions(runId, options.journal)
  const home = options.aws?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION
  const regions = [
    ...new Set([...(options.regions ?? []), ...(home ? [home] : []), ...fromJournal]),
  ]
  regions.forEach((r) => validate.region(r, 'regions'))
  if (regions.length === 0)
    throw new ValidationError({
      field: 'regions',
      value: [],
      allowed: 'at least one region: pass `aws.region` or `regions`, or keep the run journal',
    })
  return regions
}
