// Deletes an accelerator the only way Global Accelerator allows: disable, delete the endpoint
// groups, then the listeners, then the accelerator, waiting until DEPLOYED after each change.
// Every change (a delete too) puts the accelerator IN_PROGRESS, and UpdateAccelerator and
// DeleteAccelerator answer TransactionInProgressException until it is DEPLOYED again ("There's
// already a transaction in progress", AWS Global Accelerator API Reference). Its static IPs are lost.
import type { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator'
import { AwsError, callAws, createEmitter } from '@ferry/core'
import type { AcceleratorOptions } from './accelerator-create.js'
import {
  acceleratorArn,
  describeAccelerator,
  ipAddressesOf,
  waitForAcceleratorDeployed,
} from './accelerator-state.js'
import { awsPages } from '@ferry/core'
import { acceleratorClient, acceleratorSdk } from './clients.js'
import { milliseconds } from './checks.js'

/** How `deleteAccelerator` runs. */
export interface DeleteAcceleratorOptions extends Omit<
  AcceleratorOptions,
  'token' | 'journal' | 'step' | 'runId'
> {
  /** How long each wait until DEPLOYED may take, in ms. Default 30 minutes. */
  maxWaitTime?: number
  /** Page size of ListListeners / ListEndpointGroups (default: the service's). */
  pageSize?: number
}

/** What `deleteAccelerator` removed. */
export interface DeleteAcceleratorResult {
  arn: string
  /** False when the accelerator did not exist (any more). */
  deleted: boolean
  /** The static IP addresses the accelerator held: they are gone for good. */
  releasedIpAddresses: string[]
  /** Says that the static IPs are lost (also sent as a `warning` event). */
  warning: string | undefined
  endpointGroups: string[]
  listeners: string[]
}

/**
 * Disables the accelerator, deletes its endpoint groups, then its listeners, then the
 * accelerator, waiting until DEPLOYED after each change (and first, for one in progress). Warns
 * that its static IP addresses are released. An accelerator that does not exist is reported with
 * `deleted: false`.
 * @example
 * const r = await deleteAccelerator('arn:aws:globalaccelerator::123456789012:accelerator/1234abcd-…')
 * console.log(r.warning)
 */
export async function deleteAccelerator(
  arn: string,
  options: DeleteAcceleratorOptions = {},
): Promise<DeleteAcceleratorResult> {
  acceleratorArn(arn)
  const maxWaitTime = milliseconds(options.maxWaitTime ?? 30 * 60_000, 'maxWaitTime')
  const ga = await acceleratorClient({ client: options.globalAccelerator, aws: options.aws })
  const sdk = await acceleratorSdk()
  const { onEvent } = options
  const emit = createEmitter(onEvent)
  const call = <T>(operation: string, send: () => Promise<T>) =>
    callAws({ service: 'GlobalAccelerator', operation, onEvent }, send)
  const result: DeleteAcceleratorResult = {
    arn,
    deleted: false,
    releasedIpAddresses: [],
    warning: undefined,
    endpointGroups: [],
    listeners: [],
  }
  const acc = await describeAccelerator(ga, arn, onEvent)
  if (!acc) {
    emit({ type: 'info', message: `Accelerator ${arn} does not exist; nothing to delete.` })
    return result
  }
  result.releasedIpAddresses = ipAddressesOf(acc)
  result.warning = `Deleting accelerator ${acc.Name ?? arn} releases its static IP addresses (${result.releasedIpAddresses.join(', ') || 'none'}); they cannot be recovered, and anything pointing at them stops working.`
  emit({ type: 'warning', message: result.warning })

  const deployed = () => waitForAcceleratorDeployed(ga, arn, { ...options, maxWaitTime })
  // A change of someone else's (or of a create that failed) may still be deploying.
  if (acc.Status !== 'DEPLOYED') await deployed()
  if (acc.Enabled !== false) {
    await call('UpdateAccelerator', () =>
      ga.send(new sdk.UpdateAcceleratorCommand({ AcceleratorArn: arn, Enabled: false })),
    )
    await deployed()
  }

  const listenerArns = await listListenerArns(ga, arn, options)
  const groupArns: string[] = []
  for (const listenerArn of listenerArns)
    groupArns.push(...(await listEndpointGroupArns(ga, listenerArn, options)))
  for (const groupArn of groupArns) {
    await gone(() =>
      call('DeleteEndpointGroup', () =>
        ga.send(new sdk.DeleteEndpointGroupCommand({ EndpointGroupArn: groupArn })),
      ),
    )
    await deployed()
    result.endpointGroups.push(groupArn)
  }
  for (const listenerArn of listenerArns) {
    await gone(() =>
      call('DeleteListener', () =>
        ga.send(new sdk.DeleteListenerCommand({ ListenerArn: listenerArn })),
      ),
    )
    await deployed()
    result.listeners.push(listenerArn)
  }
  await gone(() =>
    call('DeleteAccelerator', () =>
      ga.send(new sdk.DeleteAcceleratorCommand({ AcceleratorArn: arn })),
    ),
  )
  result.deleted = true
  emit({ type: 'info', message: `Accelerator ${arn} deleted.` })
  return result
}

// Something deleted meanwhile (another teardown) is as good as deleted by us.
const NOT_FOUND = new Set([
  'AcceleratorNotFoundException',
  'ListenerNotFoundException',
  'EndpointGroupNotFoundException',
])

async function gone(remove: () => Promise<unknown>): Promise<void> {
  try {
    await remove()
  } catch (error) {
    if (!(AwsError.is(error) && NOT_FOUND.has(error.awsCode))) throw error
  }
}

async function listListenerArns(
  ga: GlobalAcceleratorClient,
  arn: string,
  o: DeleteAcceleratorOptions,
): Promise<string[]> {
  const { paginateListListeners } = await acceleratorSdk()
  const pages = paginateListListeners(
    { client: ga, ...(o.pageSize ? { pageSize: o.pageSize } : {}) },
    { AcceleratorArn: arn },
  )
  const arns: string[] = []
  for await (const page of awsPages(
    { service: 'GlobalAccelerator', operation: 'ListListeners', onEvent: o.onEvent },
    pages,
  ))
    arns.push(...(page.Listeners ?? []).flatMap((l) => (l.ListenerArn ? [l.ListenerArn] : [])))
  return arns
}

async function listEndpointGroupArns(
  ga: GlobalAcceleratorClient,
  listenerArn: string,
  o: DeleteAcceleratorOptions,
): Promise<string[]> {
  const { paginateListEndpointGroups } = await acceleratorSdk()
  const pages = paginateListEndpointGroups(
    { client: ga, ...(o.pageSize ? { pageSize: o.pageSize } : {}) },
    { ListenerArn: listenerArn },
  )
  const arns: string[] = []
  for await (const page of awsPages(
    { service: 'GlobalAccelerator', operation: 'ListEndpointGroups', onEvent: o.onEvent },
    pages,
  ))
    arns.push(
      ...(page.EndpointGroups ?? []).flatMap((g) =>
        g.EndpointGroupArn ? [g.EndpointGroupArn] : [],
      ),
    )
  return arns
}
