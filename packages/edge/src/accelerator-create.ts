// Creates a Global Accelerator (accelerator → listeners → endpoint groups) in us-west-2, each
// with an idempotency token so a re-run adopts what an interrupted run created, then waits for
// DEPLOYED. A failure while creating deletes what this call made.
import { randomUUID } from 'node:crypto'
import type { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator'
import {
  callAws,
  createEmitter,
  FerryError,
  idempotencyToken,
  type AwsOptions,
  type BackoffPolicy,
  type Clock,
  type EventSink,
  type PortRange,
  type StepEnv,
} from '@ferry/core'
import { deleteAccelerator, type DeleteAcceleratorOptions } from './accelerator-delete.js'
import type { EndpointSpec } from './accelerator-endpoints.js'
import {
  createAcceleratorRequest,
  createEndpointGroupRequest,
  createListenerRequest,
  tokenPurpose,
} from './accelerator-requests.js'
import { acceleratorSpec, type CreateAcceleratorInput } from './accelerator-spec.js'
import { ipAddressesOf, waitForAcceleratorDeployed } from './accelerator-state.js'
import { acceleratorClient, acceleratorSdk } from './clients.js'

/** How the accelerator functions talk to AWS. */
export interface AcceleratorOptions {
  /** An injected client; it must be set to us-west-2. Never replaced. */
  globalAccelerator?: GlobalAcceleratorClient
  aws?: AwsOptions
  onEvent?: EventSink
  signal?: AbortSignal
  clock?: Clock
  /** Polling of DescribeAccelerator while waiting. */
  backoff?: Partial<BackoffPolicy>
  /** Tags `ferry:run` and makes the idempotency tokens stable: a re-run adopts what exists. */
  runId?: string
  /** Tags `ferry:step`. Default 'createAccelerator'. */
  step?: string
  /** The idempotency token for a purpose (the pipeline passes `env.token`). */
  token?: (purpose: string) => string
  /** A run journal: the accelerator's ARN is recorded as soon as it exists. */
  journal?: Pick<StepEnv, 'record'>
}

/** A listener as created. */
export interface AcceleratorListener {
  arn: string
  protocol: string
  portRanges: PortRange[]
  clientAffinity: string
}

/** An endpoint group as created. */
export interface AcceleratorEndpointGroup {
  arn: string
  listenerArn: string
  region: string
  endpoints: EndpointSpec[]
}

/** A created accelerator. */
export interface AcceleratorResult {
  arn: string
  name: string
  dnsName: string
  dualStackDnsName: string | undefined
  /** The static IP addresses: they stay the accelerator's until it is deleted. */
  ipAddresses: string[]
  status: string
  listeners: AcceleratorListener[]
  endpointGroups: AcceleratorEndpointGroup[]
}

/**
 * Creates an accelerator with its listeners and endpoint groups and waits until DEPLOYED.
 * The API is always called in us-west-2, whatever region the endpoints are in.
 * @example
 * const acc = await createAccelerator(
 *   { name: 'web', endpoints: [{ instanceId: 'i-0123456789abcdef0', region: 'ap-south-1' }] },
 *   { aws: { region: 'ap-south-1' }, runId: 'deploy-42', onEvent: console.log },
 * )
 * console.log(acc.dnsName, acc.ipAddresses)
 */
export async function createAccelerator(
  input: CreateAcceleratorInput,
  options: AcceleratorOptions = {},
): Promise<AcceleratorResult> {
  const spec = acceleratorSpec(input)
  const ga = await acceleratorClient({ client: options.globalAccelerator, aws: options.aws })
  const sdk = await acceleratorSdk()
  const { onEvent } = options
  const emit = createEmitter(onEvent)
  const step = options.step ?? 'createAccelerator'
  const base = options.runId ?? randomUUID()
  const token = options.token ?? ((purpose: string) => idempotencyToken(base, step, purpose))
  const call = <T>(operation: string, send: () => Promise<T>) =>
    callAws({ service: 'GlobalAccelerator', operation, onEvent }, send)

  const request = createAcceleratorRequest(spec, {
    token: token(tokenPurpose.accelerator(spec.name)),
    runId: options.runId,
    step,
  })
  const created = await call('CreateAccelerator', () =>
    ga.send(new sdk.CreateAcceleratorCommand(request)),
  )
  const arn = created.Accelerator?.AcceleratorArn ?? ''
  await options.journal?.record('acceleratorArn', arn)
  emit({ type: 'info', message: `Accelerator ${spec.name} is ${arn}.` })

  const listeners: AcceleratorListener[] = []
  const endpointGroups: AcceleratorEndpointGroup[] = []
  try {
    for (const [i, listener] of spec.listeners.entries()) {
      const req = createListenerRequest(arn, listener, token(tokenPurpose.listener(spec.name, i)))
      const out = await call('CreateListener', () => ga.send(new sdk.CreateListenerCommand(req)))
      const listenerArn = out.Listener?.ListenerArn ?? ''
      listeners.push({ arn: listenerArn, ...listener })
      for (const group of spec.endpointGroups) {
        const purpose = tokenPurpose.endpointGroup(spec.name, i, group.region)
        const greq = createEndpointGroupRequest(listenerArn, group, token(purpose))
        const gout = await call('CreateEndpointGroup', () =>
          ga.send(new sdk.CreateEndpointGroupCommand(greq)),
        )
        const groupArn = gout.EndpointGroup?.EndpointGroupArn ?? ''
        endpointGroups.push({
          arn: groupArn,
          listenerArn,
          region: group.region,
          endpoints: group.endpoints,
        })
      }
    }
  } catch (error) {
    await removeAfterFailure(arn, error, {
      ...options,
      globalAccelerator: ga,
      maxWaitTime: spec.maxWaitTime,
    })
    throw error
  }

  let acc = created.Accelerator
  if (spec.wait) {
    const waiting = { maxWaitTime: spec.maxWaitTime, ...options }
    acc = await waitForAcceleratorDeployed(ga, arn, waiting).catch((error: unknown) => {
      emit({
        type: 'warning',
        message: `Accelerator ${arn} exists but is not DEPLOYED yet; a re-run with the same run id adopts it, deleteAccelerator removes it.`,
      })
      throw error
    })
  }
  return {
    arn,
    name: acc?.Name ?? spec.name,
    dnsName: acc?.DnsName ?? '',
    dualStackDnsName: acc?.DualStackDnsName,
    ipAddresses: ipAddressesOf(acc),
    status: acc?.Status ?? '',
    listeners,
    endpointGroups,
  }
}

/** Deletes a half-made accelerator so a failed create leaves nothing behind. */
async function removeAfterFailure(
  arn: string,
  error: unknown,
  options: DeleteAcceleratorOptions,
): Promise<void> {
  const emit = createEmitter(options.onEvent)
  const why = error instanceof Error ? error.message : String(error)
  emit({
    type: 'warning',
    message: `Creating accelerator ${arn} failed (${why}); deleting what was created.`,
  })
  try {
    await deleteAccelerator(arn, options)
  } catch (cleanup) {
    const how = FerryError.is(cleanup) ? cleanup.message : String(cleanup)
    emit({
      type: 'warning',
      message: `Could not delete accelerator ${arn} after the failure (${how}); remove it with deleteAccelerator or deleteAcceleratorsByRun.`,
    })
  }
}
