// Finding accelerators: all of them (paginated), or those a run created, by the `ferry:run` tag.
import { callAws, RUN_TAG, ValidationError } from '@ferry/core'
import {
  deleteAccelerator,
  type DeleteAcceleratorOptions,
  type DeleteAcceleratorResult,
} from './accelerator-delete.js'
import { ipAddressesOf } from './accelerator-state.js'
import { awsPages } from '@ferry/core'
import { acceleratorClient, acceleratorSdk } from './clients.js'

/** One accelerator as listed. */
export interface AcceleratorSummary {
  arn: string
  name: string
  status: string
  enabled: boolean
  dnsName: string
  ipAddresses: string[]
  createdTime: Date | undefined
}

/** How `listAccelerators` runs. */
export type ListAcceleratorsOptions = Omit<DeleteAcceleratorOptions, 'maxWaitTime'>

/**
 * Every accelerator of the account (Global Accelerator is global; the API is in us-west-2).
 * @example
 * for (const acc of await listAccelerators()) console.log(acc.name, acc.status, acc.ipAddresses)
 */
export async function listAccelerators(
  options: ListAcceleratorsOptions = {},
): Promise<AcceleratorSummary[]> {
  const ga = await acceleratorClient({ client: options.globalAccelerator, aws: options.aws })
  const { paginateListAccelerators } = await acceleratorSdk()
  const pages = paginateListAccelerators(
    { client: ga, ...(options.pageSize ? { pageSize: options.pageSize } : {}) },
    {},
  )
  const where = {
    service: 'GlobalAccelerator',
    operation: 'ListAccelerators',
    onEvent: options.onEvent,
  }
  const all: AcceleratorSummary[] = []
  for await (const page of awsPages(where, pages))
    for (const acc of page.Accelerators ?? [])
      all.push({
        arn: acc.AcceleratorArn ?? '',
        name: acc.Name ?? '',
        status: acc.Status ?? '',
        enabled: acc.Enabled ?? false,
        dnsName: acc.DnsName ?? '',
        ipAddresses: ipAddressesOf(acc),
        createdTime: acc.CreatedTime,
      })
  return all
}

/**
 * The accelerators tagged `ferry:run=<runId>`: what a run's teardown deletes, or an inventory lists.
 * @example
 * const mine = await acceleratorsByRun({ runId: 'deploy-42' })
 */
export async function acceleratorsByRun(
  input: { runId: string },
  options: ListAcceleratorsOptions = {},
): Promise<AcceleratorSummary[]> {
  const runId = input?.runId
  if (typeof runId !== 'string' || runId.length < 1 || runId.length > 256)
    throw new ValidationError({
      field: 'runId',
      value: runId,
      allowed: 'a run id of 1 to 256 characters',
    })
  const ga = await acceleratorClient({ client: options.globalAccelerator, aws: options.aws })
  const { ListTagsForResourceCommand } = await acceleratorSdk()
  const mine: AcceleratorSummary[] = []
  for (const acc of await listAccelerators({ ...options, globalAccelerator: ga })) {
    const { Tags } = await callAws(
      { service: 'GlobalAccelerator', operation: 'ListTagsForResource', onEvent: options.onEvent },
      () => ga.send(new ListTagsForResourceCommand({ ResourceArn: acc.arn })),
    )
    if (Tags?.some((t) => t.Key === RUN_TAG && t.Value === runId)) mine.push(acc)
  }
  return mine
}

/**
 * Deletes every accelerator tagged `ferry:run=<runId>`, one after another, for a run's teardown.
 * @example
 * const removed = await deleteAcceleratorsByRun({ runId: 'deploy-42' }, { onEvent: console.log })
 */
export async function deleteAcceleratorsByRun(
  input: { runId: string },
  options: DeleteAcceleratorOptions = {},
): Promise<DeleteAcceleratorResult[]> {
  const ga = await acceleratorClient({ client: options.globalAccelerator, aws: options.aws })
  const opts = { ...options, globalAccelerator: ga }
  const results: DeleteAcceleratorResult[] = []
  for (const acc of await acceleratorsByRun(input, opts))
    results.push(await deleteAccelerator(acc.arn, opts))
  return results
}
