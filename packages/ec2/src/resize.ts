// Elastic resize: stop → wait stopped → change the type → start → wait running. A type the
// instance's Availability Zone does not offer, or whose architecture differs, is refused
// before the instance is touched; a failed change starts the instance again.
import { FerryError, validate, ValidationError } from '@ferry/core'
import { instanceType as checkType } from './ids.js'
import { ec2Call, ec2Context, type Ec2Context, type Ec2Options } from './sdk.js'
import { describeAllInstances } from './tagged.js'
import { waitForInstances, type WaitTimes } from './waiters.js'

/** What a resize did. */
export interface ResizeResult {
  instanceId: string
  from: string
  to: string
  /** False when the instance already had the type (nothing was stopped). */
  changed: boolean
  state: string
  /** Addresses after the restart (a public IP changes across stop/start unless it is elastic). */
  publicIp?: string
  publicDns?: string
}

/**
 * Changes an instance's type. A running instance is stopped and started again; a stopped one
 * stays stopped.
 * @example
 * const { publicIp } = await resizeInstance({ instanceId: server.instanceId, instanceType: 't3.large' }, { aws })
 */
export async function resizeInstance(
  input: { instanceId: string; instanceType: string },
  options: Ec2Options & { maxWaitTime?: number; waiterMinDelay?: number } = {},
): Promise<ResizeResult> {
  const instanceId = validate.instanceId(input.instanceId, 'instanceId')
  const to = checkType(input.instanceType, 'instanceType')
  const ctx = await ec2Context(options)
  const times: WaitTimes = { maxWaitTime: options.maxWaitTime, minDelay: options.waiterMinDelay }
  const [instance] = await describeAllInstances(ctx, [], [instanceId])
  if (!instance)
    throw new FerryError('NOT_FOUND', `Instance ${instanceId} does not exist in ${ctx.region}.`)
  const from = instance.InstanceType ?? ''
  const state = instance.State?.Name ?? ''
  if (from === to) return { instanceId, from, to, changed: false, state }
  if (['terminated', 'shutting-down'].includes(state))
    throw new FerryError(
      'PRECONDITION',
      `Instance ${instanceId} is ${state}: it cannot be resized.`,
    )
  await assertOffered(ctx, {
    instanceType: to,
    zone: instance.Placement?.AvailabilityZone ?? '',
    architecture: instance.Architecture ?? '',
  })

  const wasRunning = state === 'running' || state === 'pending'
  if (state === 'pending')
    await waitForInstances(ctx, { state: 'running', instanceIds: [instanceId], ...times })
  if (state !== 'stopped') {
    if (wasRunning)
      await ec2Call(ctx, 'StopInstances', (s, ec2) =>
        ec2.send(new s.StopInstancesCommand({ InstanceIds: [instanceId] })),
      )
    await waitForInstances(ctx, { state: 'stopped', instanceIds: [instanceId], ...times })
  }
  const modify = (type: string) =>
    ec2Call(ctx, 'ModifyInstanceAttribute', (s, ec2) =>
      ec2.send(
        new s.ModifyInstanceAttributeCommand({
          InstanceId: instanceId,
          InstanceType: { Value: type },
        }),
      ),
    )
  const start = async () => {
    await ec2Call(ctx, 'StartInstances', (s, ec2) =>
      ec2.send(new s.StartInstancesCommand({ InstanceIds: [instanceId] })),
    )
    await waitForInstances(ctx, { state: 'running', instanceIds: [instanceId], ...times })
  }
  try {
    await modify(to)
  } catch (error) {
    // Unchanged: a server that was serving serves again on its old type.
    if (wasRunning) await start()
    throw error
  }
  if (wasRunning) {
    try {
      await start()
    } catch (startError) {
      // The new type cannot start here (capacity, an offering gone): go back to the old one,
      // start that, and say both what failed and what the server is now.
      throw await revertAndStart(ctx, { instanceId, from, to, startError, modify, start })
    }
  }
  const [after] = await describeAllInstances(ctx, [], [instanceId])
  ctx.emit({ type: 'info', message: `Resized ${instanceId} from ${from} to ${to}.` })
  if (wasRunning && instance.PublicIpAddress && after?.PublicIpAddress !== instance.PublicIpAddress)
    ctx.emit({
      type: 'warning',
      message: `The public IP of ${instanceId} changed across the restart (${instance.PublicIpAddress} → ${after?.PublicIpAddress ?? 'none'}): EC2 releases a non-elastic public IPv4 address on stop. Update DNS records that point at it, or use an Elastic IP.`,
    })
  return {
    instanceId,
    from,
    to: after?.InstanceType ?? to,
    changed: true,
    state: after?.State?.Name ?? '',
    ...(after?.PublicIpAddress ? { publicIp: after.PublicIpAddress } : {}),
    ...(after?.PublicDnsName ? { publicDns: after.PublicDnsName } : {}),
  }
}

/**
 * Refuses a type the zone does not offer or whose architectures exclude the instance's.
 * @example
 * await assertOffered(ctx, { instanceType: 't3.large', zone: 'us-east-1a', architecture: 'x86_64' })
 */
export async function assertOffered(
  ctx: Ec2Context,
  o: { instanceType: string; zone: string; architecture: string },
): Promise<void> {
  await assertOfferedIn(ctx, o.instanceType, o.zone)
  const types = await ec2Call(ctx, 'DescribeInstanceTypes', (s, ec2) =>
    ec2.send(new s.DescribeInstanceTypesCommand({ InstanceTypes: [o.instanceType as never] })),
  )
  const archs = (types.InstanceTypes?.[0]?.ProcessorInfo?.SupportedArchitectures ?? []).map(String)
  if (o.architecture && !archs.includes(o.architecture))
    throw new ValidationError({
      field: 'instanceType',
      value: o.instanceType,
      allowed: `a type that runs ${o.architecture} images (it runs ${archs.join(', ') || 'none'})`,
    })
}

/**
 * Refuses a type the zone does not offer (launch and resize check before they make anything).
 * @example
 * await assertOfferedIn(ctx, 't3.micro', 'us-east-1e') // throws: us-east-1e offers no t3
 */
export async function assertOfferedIn(
  ctx: Ec2Context,
  instanceType: string,
  zone: string,
): Promise<void> {
  const o = { instanceType, zone }
  const offers = await ec2Call(ctx, 'DescribeInstanceTypeOfferings', (s, ec2) =>
    ec2.send(
      new s.DescribeInstanceTypeOfferingsCommand({
        LocationType: 'availability-zone',
        Filters: [
          { Name: 'location', Values: [o.zone] },
          { Name: 'instance-type', Values: [o.instanceType] },
        ],
      }),
    ),
  )
  if (!offers.InstanceTypeOfferings?.some((x) => x.InstanceType === o.instanceType))
    throw new ValidationError({
      field: 'instanceType',
      value: o.instanceType,
      allowed: `an instance type offered in ${o.zone}`,
    })
}

async function revertAndStart(
  ctx: Ec2Context,
  o: {
    instanceId: string
    from: string
    to: string
    startError: unknown
    modify: (type: string) => Promise<unknown>
    start: () => Promise<void>
  },
): Promise<FerryError> {
  const why = (e: unknown) => (e instanceof Error ? e.message : String(e))
  try {
    await o.modify(o.from)
    await o.start()
  } catch (revertError) {
    return new FerryError(
      'AWS',
      `Resizing ${o.instanceId} to ${o.to} failed at start (${why(o.startError)}), and going back to ${o.from} failed too (${why(revertError)}): the instance is stopped; start it by hand once one of the types has capacity.`,
      { cause: new AggregateError([o.startError, revertError]) },
    )
  }
  ctx.emit({
    type: 'warning',
    message: `${o.instanceId} could not start as ${o.to}; it runs as ${o.from} again.`,
  })
  return new FerryError(
    'AWS',
    `Resizing ${o.instanceId} to ${o.to} failed at start (${why(o.startError)}): it was changed back to ${o.from} and runs again.`,
    { cause: o.startError, retryable: FerryError.is(o.startError) && o.startError.retryable },
  )
}
