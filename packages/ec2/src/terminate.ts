// Terminating servers and deleting what was created with them, in dependency order:
// instances (waited until terminated) → security groups → key pairs (→ key files).
import { rm } from 'node:fs/promises'
import { AwsError, retryFresh, validate } from '@ferry/core'
import { deleteKeyPairWith } from './key-pair.js'
import { ec2Call, ec2Context, type Ec2Context, type Ec2Options } from './sdk.js'
import { deleteSecurityGroupWith } from './security-group.js'
import { waitForInstances } from './waiters.js'
import type { WebServer } from './web-server.js'

/** What to delete, by id/name. */
export interface Ec2Resources {
  instanceIds: string[]
  securityGroupIds: string[]
  keyNames: string[]
  /** Local private key files to remove once their key pair is deleted. */
  keyFiles?: string[]
}

/** Options for terminating. */
export interface TerminateOptions extends Ec2Options {
  /** Also delete the security group and key pair the launch created (never ones it was given). */
  cleanup?: boolean
  /** With `cleanup`, also remove the private key files the launch wrote. Default false. */
  deleteKeyFiles?: boolean
  /** Per wait, ms; default 10 minutes. */
  maxWaitTime?: number
  /** Shortest delay between waiter polls, ms (the SDK's default is 15 s). */
  waiterMinDelay?: number
}

/**
 * Terminates servers and waits until they are gone; with `cleanup`, deletes the security
 * group and key pair their launch created.
 * @example
 * await terminateWebServer(server, { cleanup: true })
 */
export async function terminateWebServer(
  target: WebServer | readonly WebServer[] | { instanceIds: string[] },
  options: TerminateOptions = {},
): Promise<Ec2Resources> {
  const servers = 'instanceIds' in target ? [] : [target].flat()
  const instanceIds =
    'instanceIds' in target ? target.instanceIds : servers.map((s) => s.instanceId)
  instanceIds.forEach((id) => validate.instanceId(id, 'instanceId'))
  const unique = (xs: (string | undefined | false)[]) => [
    ...new Set(xs.filter((x): x is string => !!x)),
  ]
  const resources: Ec2Resources = {
    instanceIds,
    securityGroupIds: options.cleanup
      ? unique(servers.map((s) => s.securityGroupCreated && s.securityGroupId))
      : [],
    keyNames: options.cleanup
      ? unique(servers.map((s) => s.keyPair.created && s.keyPair.name))
      : [],
    keyFiles:
      options.cleanup && options.deleteKeyFiles
        ? unique(
            servers.flatMap((s) => (s.keyPair.created ? [s.keyPair.path, s.keyPair.ppkPath] : [])),
          )
        : [],
  }
  for (const server of servers) await server.host.close()
  const ctx = await ec2Context({ ...options, region: options.region ?? servers[0]?.region })
  await deleteResourcesWith(ctx, resources, {
    maxWaitTime: options.maxWaitTime,
    minDelay: options.waiterMinDelay,
  })
  return resources
}

/**
 * Deletes resources in dependency order; missing ones are skipped.
 * @example
 * await deleteResourcesWith(ctx, { instanceIds: ['i-…'], securityGroupIds: ['sg-…'], keyNames: ['web'] })
 */
export async function deleteResourcesWith(
  ctx: Ec2Context,
  r: Ec2Resources,
  times: { maxWaitTime?: number; minDelay?: number; fresh?: boolean } = {},
): Promise<void> {
  if (r.instanceIds.length > 0) {
    const terminate = () =>
      ec2Call(ctx, 'TerminateInstances', (s, ec2) =>
        ec2.send(new s.TerminateInstancesCommand({ InstanceIds: r.instanceIds })),
      )
    // A NotFound for instances made seconds ago means "not visible yet" (eventual consistency):
    // retry before believing they are gone. For older ones it means gone.
    await (
      times.fresh
        ? retryFresh(terminate, {
            codes: ['InvalidInstanceID.NotFound'],
            signal: ctx.signal,
            clock: ctx.clock,
            onEvent: ctx.emit,
          })
        : terminate()
    ).catch((error: unknown) => {
      if (!(AwsError.is(error) && error.awsCode === 'InvalidInstanceID.NotFound')) throw error
    })
    await waitForInstances(ctx, { state: 'terminated', instanceIds: r.instanceIds, ...times })
  }
  for (const groupId of r.securityGroupIds) await deleteSecurityGroupWith(ctx, groupId, times)
  for (const name of r.keyNames) await deleteKeyPairWith(ctx, name)
  for (const file of r.keyFiles ?? []) await rm(file, { force: true })
}
