// Reading an accelerator's state: its ARN checked, DescribeAccelerator, and the wait until
// DEPLOYED (Global Accelerator has no SDK waiter, so core's `waitFor` polls).
import type { Accelerator, GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator'
import {
  AwsError,
  callAws,
  ValidationError,
  waitFor,
  type BackoffPolicy,
  type Clock,
  type EventSink,
} from '@ferry/core'
import { acceleratorSdk } from './clients.js'

/** How a Global Accelerator wait runs. */
export interface AcceleratorWaitOptions {
  maxWaitTime: number
  signal?: AbortSignal
  onEvent?: EventSink
  clock?: Clock
  backoff?: Partial<BackoffPolicy>
}

const ARN = /^arn:aws[a-z-]*:globalaccelerator::\d{12}:accelerator\/[A-Za-z0-9-]{1,64}$/

/**
 * An accelerator ARN (`arn:aws:globalaccelerator::123456789012:accelerator/…`).
 * @example
 * acceleratorArn('arn:aws:globalaccelerator::123456789012:accelerator/1234abcd-abcd-1234-abcd-1234abcdefgh')
 */
export function acceleratorArn(value: unknown, field = 'arn'): string {
  if (typeof value !== 'string' || !ARN.test(value))
    throw new ValidationError({
      field,
      value,
      allowed:
        'an accelerator ARN such as arn:aws:globalaccelerator::123456789012:accelerator/1234abcd-…',
    })
  return value
}

/**
 * The accelerator, or undefined when it does not exist (any more).
 * @example
 * const acc = await describeAccelerator(ga, arn)
 */
export async function describeAccelerator(
  ga: GlobalAcceleratorClient,
  arn: string,
  onEvent?: EventSink,
): Promise<Accelerator | undefined> {
  const { DescribeAcceleratorCommand } = await acceleratorSdk()
  try {
    const out = await callAws(
      { service: 'GlobalAccelerator', operation: 'DescribeAccelerator', onEvent },
      () => ga.send(new DescribeAcceleratorCommand({ AcceleratorArn: arn })),
    )
    return out.Accelerator
  } catch (error) {
    if (AwsError.is(error) && error.awsCode === 'AcceleratorNotFoundException') return undefined
    throw error
  }
}

/**
 * Polls DescribeAccelerator until the status is DEPLOYED, with backoff, progress events,
 * `maxWaitTime` (ms) and abort; returns the deployed accelerator.
 * @example
 * const acc = await waitForAcceleratorDeployed(ga, arn, { maxWaitTime: 1_800_000, onEvent })
 */
export async function waitForAcceleratorDeployed(
  ga: GlobalAcceleratorClient,
  arn: string,
  o: AcceleratorWaitOptions,
): Promise<Accelerator> {
  return waitFor(
    async () => {
      const acc = await describeAccelerator(ga, arn, o.onEvent)
      if (!acc)
        throw new AwsError({
          service: 'GlobalAccelerator',
          operation: 'DescribeAccelerator',
          awsCode: 'AcceleratorNotFoundException',
          message: `accelerator ${arn} disappeared while ferry waited for it`,
        })
      return acc.Status === 'DEPLOYED'
        ? { done: true, value: acc }
        : { done: false, state: acc.Status }
    },
    {
      what: `accelerator ${arn} DEPLOYED`,
      maxWaitTime: o.maxWaitTime,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onEvent ? { onEvent: o.onEvent } : {}),
      ...(o.clock ? { clock: o.clock } : {}),
      ...(o.backoff ? { backoff: o.backoff } : {}),
    },
  )
}

/**
 * The static IP addresses of an accelerator, every family.
 * @example
 * ipAddressesOf(acc) // ['75.2.0.1', '99.83.0.1']
 */
export function ipAddressesOf(acc: Accelerator | undefined): string[] {
  return (acc?.IpSets ?? []).flatMap((set) => set.IpAddresses ?? [])
}
