// The instances of a launch: RunInstances (with the ClientToken, moving past terminated
// replays), per-instance Name tags for a fleet, and the WebServer objects built from them.
import { createHash } from 'node:crypto'
import type { Instance, RunInstancesCommandInput } from '@aws-sdk/client-ec2'
import { createSshHost, FerryError, sshTargetOf } from '@ferry/core'
import { sshUserFor, type ResolvedAmi } from './ami.js'
import { runInstancesInput } from './launch-input.js'
import type { Created, ensureKeyPair } from './launch-resources.js'
import type { CheckedLaunch } from './launch-spec.js'
import type { LaunchWebServerOptions } from './launch.js'
import { ec2CallFresh, type Ec2Context } from './sdk.js'
import { webServerUserData } from './user-data.js'
import { instanceFacts, withHost, type WebServer } from './web-server.js'

/**
 * Launches the instances (or, for a ClientToken whose instances were terminated, the next
 * token generation) and notes them for cleanup.
 * @example
 * const instances = await runInstances(ctx, { spec, ami, tags, created, keyName, groupId, clientToken })
 */
export async function runInstances(
  ctx: Ec2Context,
  o: {
    spec: CheckedLaunch
    ami: ResolvedAmi
    tags: { runId: string; step: string }
    created: Created
    keyName: string
    groupId: string
    subnetId?: string
    associatePublicIp?: boolean
    clientToken: string
  },
): Promise<Instance[]> {
  const userData = userDataFor(o.spec, o.ami)
  // A ClientToken whose instances were terminated (a cleaned-up earlier try) returns them
  // again on AWS: move to the next token generation.
  for (let generation = 0; generation < 5; generation++) {
    const base = generation === 0 ? o.clientToken : `${o.clientToken.slice(0, 60)}-${generation}`
    const input = runInstancesInput(
      {
        name: o.spec.name,
        imageId: o.ami.imageId,
        instanceType: o.spec.instanceType,
        count: o.spec.count,
        keyName: o.keyName,
        securityGroupId: o.groupId,
        subnetId: o.subnetId,
        associatePublicIp: o.associatePublicIp,
        rootDeviceName: o.ami.rootDeviceName,
        rootVolume: o.spec.rootVolume,
        userData,
        clientToken: base,
        tags: o.spec.tags,
      },
      o.tags,
    )
    // AWS keeps a token for 24 h after its instances terminate, and the same token with any
    // other parameter is IdempotentParameterMismatch: after a cleaned-up failure the re-run has a
    // new group, so the token follows the request (same request → same token, after a crash too).
    input.ClientToken = requestToken(base, input)
    // The group was just created: EC2 may not know it yet (the ClientToken makes a retry safe).
    const out = await ec2CallFresh(
      ctx,
      { operation: 'RunInstances', codes: ['InvalidGroup.NotFound'] },
      (s, ec2) => ec2.send(new s.RunInstancesCommand(input)),
    )
    const instances = (out.Instances ?? []).filter((i) => i.InstanceId)
    const live = instances.filter(
      (i) => !['terminated', 'shutting-down'].includes(i.State?.Name ?? ''),
    )
    o.created.instanceIds.push(...live.map((i) => i.InstanceId!))
    if (live.length > 0) {
      if (o.spec.count > 1) await nameEach(ctx, o.spec, live)
      return live.sort((a, b) => (a.AmiLaunchIndex ?? 0) - (b.AmiLaunchIndex ?? 0))
    }
  }
  throw new FerryError(
    'CONFLICT',
    'RunInstances kept returning terminated instances for this ClientToken: use a new runId.',
  )
}

/**
 * A ClientToken (≤ 64 characters) for a RunInstances request: the base token and a hash of
 * every other parameter.
 * @example
 * requestToken('ferry-abc', runInstancesInput(plan, tags)) // 'ferry-abc…-9f86d081'
 */
export function requestToken(base: string, input: RunInstancesCommandInput): string {
  const { ClientToken: _token, ...rest } = input
  const hash = createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 12)
  return `${base.slice(0, 51)}-${hash}`
}

async function nameEach(
  ctx: Ec2Context,
  spec: CheckedLaunch,
  instances: Instance[],
): Promise<void> {
  await Promise.all(
    instances.map((instance, i) =>
      ec2CallFresh(
        ctx,
        { operation: 'CreateTags', codes: ['InvalidInstanceID.NotFound'] },
        (s, ec2) =>
          ec2.send(
            new s.CreateTagsCommand({
              Resources: [instance.InstanceId!],
              Tags: [{ Key: 'Name', Value: serverName(spec, i) }],
            }),
          ),
      ),
    ),
  )
}

/**
 * Reports instances adopted from an earlier attempt of the run.
 * @example
 * adopted(ctx, found.instances)
 */
export function adopted(ctx: Ec2Context, instances: Instance[]): Instance[] {
  ctx.emit({
    type: 'info',
    message: `Adopting instances ${instances.map((i) => i.InstanceId).join(', ')} created by an earlier attempt of this run.`,
  })
  return instances
}

function userDataFor(spec: CheckedLaunch, ami: ResolvedAmi): string | undefined {
  if (spec.userData === false) return undefined
  if (typeof spec.userData === 'string') return spec.userData
  if (ami.distro === 'unknown')
    throw new FerryError(
      'PRECONDITION',
      `ferry does not know how to bootstrap ${ami.name || ami.imageId}: pass userData (a script) or userData: false.`,
    )
  return webServerUserData({ distro: ami.distro, ...spec.userData })
}

/**
 * The readable name of server `i`: the launch name, numbered when there are several.
 * @example
 * serverName(spec, 0) // 'web-1' when count > 1
 */
export function serverName(spec: CheckedLaunch, i: number): string {
  return spec.count > 1 ? `${spec.name}-${i + 1}` : spec.name
}

/**
 * The WebServer of a described instance, with a Host that connects on first use.
 * @example
 * const server = makeServer({ ctx, spec, ami, instance, key, group, runId, options, name })
 */
export function makeServer(o: {
  ctx: Ec2Context
  spec: CheckedLaunch
  ami: ResolvedAmi
  instance: Instance
  name: string
  runId: string
  key: Awaited<ReturnType<typeof ensureKeyPair>>
  group: { groupId: string; created: boolean }
  options: LaunchWebServerOptions
}): WebServer {
  const username =
    o.spec.sshUser ?? (o.ami.distro === 'unknown' ? 'ec2-user' : sshUserFor(o.ami.distro))
  const data: Omit<WebServer, 'host'> = {
    name: o.name,
    ...instanceFacts(o.instance),
    region: o.ctx.region,
    distro: o.ami.distro,
    securityGroupId: o.group.groupId,
    securityGroupCreated: o.group.created,
    keyPair: o.key.info,
    // Until the SSH rung pins it, an explicit policy or nothing at all (an empty pin refuses every key).
    ssh: {
      username,
      port: o.spec.sshPort,
      privateKey: o.key.privateKey,
      hostKey: typeof o.spec.hostKey === 'object' ? o.spec.hostKey : { fingerprint: [] },
    },
    runId: o.runId,
  }
  const server: WebServer = withHost(data, async () => {
    if (o.options.hostFor) return o.options.hostFor(server)
    const target = await (o.options.resolveHost ?? sshTargetOf)(server)
    return createSshHost(target, { ...o.options.hostOptions, onEvent: o.ctx.emit })
  })
  return server
}
