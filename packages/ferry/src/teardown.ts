// teardown(runId): everything a run created, found by its ferry:run tag, deleted in dependency
// order: accelerators (they point at instances), then per region AMIs with their snapshots and
// volumes, then instances (waiting until terminated), security groups and key pairs. A failing
// region or part is recorded and the rest still runs.
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
import { TeardownError, type TeardownFailure, type TeardownPart } from './teardown-error.js'

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
 * Deletes everything a run created, in every region it touched. Safe to run twice. A region (or
 * part) that fails does not stop the others: all are tried, then a TeardownError lists what
 * could not be removed and why, with the report of what was.
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
  const common = { aws: options.aws ?? {}, onEvent: options.onEvent, signal: options.signal }
  const failures: TeardownFailure[] = []
  // Every part of every region is tried; a failure is recorded and the rest goes on.
  const attempt = async <T>(region: string, part: TeardownPart, work: () => Promise<T>) => {
    try {
      return await work()
    } catch (error) {
      if (options.signal?.aborted) throw error
      failures.push({
        region,
        part,
        error: error instanceof Error ? error : new Error(String(error)),
      })
      emit({ type: 'warning', message: `teardown: ${part} in ${region} failed: ${String(error)}` })
      return undefined
    }
  }
  let accelerators: DeleteAcceleratorResult[] = []
  if (options.globalAccelerator !== false) {
    emit({ type: 'step:progress', step: 'teardown', message: 'deleting accelerators (us-west-2)' })
    const ga = options.globalAccelerator ? { globalAccelerator: options.globalAccelerator } : {}
    accelerators =
      (await attempt('us-west-2', 'accelerators', () =>
        deleteAcceleratorsByRun({ runId }, { ...common, ...ga, maxWaitTime: options.maxWaitTime }),
      )) ?? []
  }
  const images: Record<string, RegionTeardown> = {}
  const ec2: Record<string, DeletedByRun> = {}
  for (const region of regions) {
    emit({
      type: 'step:progress',
      step: 'teardown',
      message: `deleting AMIs, snapshots, volumes, instances, security groups and key pairs in ${region}`,
    })
    const made = await attempt(region, 'images', () =>
      deleteImagesByRun({ runId, regions: [region] }, common),
    )
    if (made?.[region]) images[region] = made[region]
    const deleted = await attempt(region, 'ec2', () =>
      deleteEc2ByRun({ runId, region }, { ...common, maxWaitTime: options.maxWaitTime }),
    )
    if (deleted) ec2[region] = deleted
  }
  const report = { runId, regions, accelerators, images, ec2 }
  if (failures.length > 0) throw new TeardownError({ runId, failures, report })
  return report
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
