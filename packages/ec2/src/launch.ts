// launchWebServer: validate → resolve (type, AMI, network: read-only) → create key pair,
// security group and instances (or adopt them after a crash) → climb the readiness ladder.
// A failure after something was created deletes what this call created.
import { randomUUID } from 'node:crypto'
import type { Instance } from '@aws-sdk/client-ec2'
import {
  createSshHost,
  FerryError,
  idempotencyToken,
  sshTargetOf,
  type Host,
  type ResolveHost,
  type ServerRef,
  type SshHostOptions,
} from '@ferry/core'
import { resolveAmi, sshUserFor, type ResolvedAmi } from './ami.js'
import { runInstancesInput } from './launch-input.js'
import { assertRunnable, launchArchitecture, resolveNetwork } from './launch-resolve.js'
import { checkLaunchInput, type CheckedLaunch, type LaunchWebServerInput } from './launch-spec.js'
import {
  ensureKeyPair,
  ensureSecurityGroup,
  precheckKeyFiles,
  type Created,
} from './launch-resources.js'
import { progress, reachServer, READY_LEVELS, waitCloudInit, type ReadyLevel } from './readiness.js'
import { ec2Call, ec2Context, type Ec2Context, type Ec2Options } from './sdk.js'
import { describeAllInstances, findTagged, type TaggedResources } from './tagged.js'
import { deleteResourcesWith } from './terminate.js'
import { webServerUserData } from './user-data.js'
import { waitForInstances } from './waiters.js'
import { instanceFacts, withHost, type WebServer } from './web-server.js'

/** How launchWebServer runs. */
export interface LaunchWebServerOptions extends Ec2Options {
  /** Tags everything with `ferry:run`; with it, a re-run adopts what a crashed run created. Default: a new id. */
  runId?: string
  /** The `ferry:step` tag; default 'launchWebServer'. */
  step?: string
  /** The RunInstances ClientToken; default derived from runId + step (random without runId). */
  clientToken?: string
  /** Maps a server to the SSH target to dial (the lab maps every instance to its sshd). */
  resolveHost?: ResolveHost
  /** Supplies a (pooled) Host for a server instead of opening one; the pipeline passes `env.host`. */
  hostFor?: (server: ServerRef) => Promise<Host>
  hostOptions?: Omit<SshHostOptions, 'onEvent'>
  /** Per AWS wait (running, status ok, terminated), ms; default 10 minutes. */
  maxWaitTime?: number
  /** Shortest delay between waiter polls, ms (the SDK's default is 15 s). */
  waiterMinDelay?: number
  /** How long to poll the console output for host keys; default 5 minutes. */
  hostKeyWaitTime?: number
  /** How long cloud-init may take; default 15 minutes. */
  cloudInitTimeout?: number
  /** Delete what this call created when it fails; default true. */
  cleanupOnFailure?: boolean
  /** Journal hook: records ids as soon as they exist (the pipeline passes `env.record`). */
  record?: (key: string, value: string) => Promise<void>
}

/** What launchWebServer returns. */
export interface LaunchResult {
  /** The first server (the only one unless `count` > 1). */
  server: WebServer
  servers: WebServer[]
  runId: string
}

/**
 * Launches `count` web servers and waits until they are ready (by default until cloud-init
 * has installed nginx and docker). SSH stays closed until `openPorts`.
 * @example
 * const { server } = await launchWebServer(
 *   { name: 'web', instanceType: 't3.micro', keyPair: { create: { path: './web.pem', ppkPath: './web.ppk' } } },
 *   { aws: { region: 'ap-south-1' } },
 * )
 * await server.host.run(cmd('uname', '-a'))
 */
export async function launchWebServer(
  input: LaunchWebServerInput,
  options: LaunchWebServerOptions = {},
): Promise<LaunchResult> {
  const spec = checkLaunchInput(input)
  const tags = {
    runId: options.runId ?? `ferry-${randomUUID()}`,
    step: options.step ?? 'launchWebServer',
  }
  const ctx = await ec2Context(options)
  const found: TaggedResources = options.runId
    ? await findTagged(ctx, tags)
    : { instances: [], securityGroups: [], keyPairs: [] }
  precheckKeyFiles(spec, tags, found)
  const created: Created = { instanceIds: [], securityGroupIds: [], keyNames: [], keyFiles: [] }
  try {
    const { architecture, supported } = await launchArchitecture(ctx, spec.instanceType, spec.ami)
    const ami = await resolveAmi(ctx, spec.ami, architecture)
    assertRunnable(ami, supported, spec.instanceType)
    const network = await resolveNetwork(ctx, spec)
    const key = await ensureKeyPair(ctx, spec, { found, created, tags })
    const group = await ensureSecurityGroup(ctx, spec, {
      found,
      created,
      tags,
      vpcId: network.vpcId,
    })
    await options.record?.('keyPair', key.info.name)
    await options.record?.('securityGroup', group.groupId)
    const instances =
      found.instances.length > 0
        ? adopted(ctx, found.instances)
        : await runInstances(ctx, {
            spec,
            ami,
            tags,
            created,
            keyName: key.info.name,
            groupId: group.groupId,
            subnetId: network.subnetId,
            clientToken:
              options.clientToken ?? idempotencyToken(tags.runId, tags.step, 'run-instances'),
          })
    const ids = instances.map((i) => i.InstanceId!)
    await options.record?.('instances', ids.join(','))
    const times = { maxWaitTime: options.maxWaitTime, minDelay: options.waiterMinDelay }
    await waitForInstances(ctx, { state: 'running', instanceIds: ids, ...times })
    const described = await describeAllInstances(ctx, [], ids)
    const servers = described
      .sort((a, b) => (a.AmiLaunchIndex ?? 0) - (b.AmiLaunchIndex ?? 0))
      .map((instance, i) =>
        makeServer({
          ctx,
          spec,
          ami,
          instance,
          key,
          group,
          runId: tags.runId,
          options,
          name: serverName(spec, i),
        }),
      )
    for (const s of servers)
      progress(ctx, {
        step: tags.step,
        server: s,
        message: `running (${s.instanceId}, ${s.publicIp ?? s.privateIp})`,
      })
    await climb(ctx, servers, { spec, options, step: tags.step, ids, times })
    return { server: servers[0]!, servers, runId: tags.runId }
  } catch (error) {
    if (options.cleanupOnFailure !== false) await cleanup(ctx, created, error)
    throw error
  }
}

async function climb(
  ctx: Ec2Context,
  servers: WebServer[],
  o: {
    spec: CheckedLaunch
    options: LaunchWebServerOptions
    step: string
    ids: string[]
    times: { maxWaitTime?: number; minDelay?: number }
  },
): Promise<void> {
  const reach = (level: ReadyLevel) =>
    READY_LEVELS.indexOf(o.spec.ready) >= READY_LEVELS.indexOf(level)
  if (reach('status-ok')) {
    await waitForInstances(ctx, { state: 'status-ok', instanceIds: o.ids, ...o.times })
    for (const s of servers) progress(ctx, { step: o.step, server: s, message: 'status checks ok' })
  }
  if (!reach('ssh')) return
  try {
    await Promise.all(
      servers.map(async (server) => {
        await reachServer(ctx, server, {
          hostKey: o.spec.hostKey,
          hostKeyWaitTime: o.options.hostKeyWaitTime,
          resolveHost: o.options.resolveHost,
          scan: !o.options.hostFor || !!o.options.resolveHost,
          step: o.step,
        })
        if (reach('cloud-init'))
          await waitCloudInit(ctx, server, { step: o.step, timeout: o.options.cloudInitTimeout })
      }),
    )
  } finally {
    // Standalone hosts are closed so a script can exit; they re-open on first use.
    if (!o.options.hostFor) await Promise.all(servers.map((s) => s.host.close()))
  }
}

async function runInstances(
  ctx: Ec2Context,
  o: {
    spec: CheckedLaunch
    ami: ResolvedAmi
    tags: { runId: string; step: string }
    created: Created
    keyName: string
    groupId: string
    subnetId?: string
    clientToken: string
  },
): Promise<Instance[]> {
  const userData = userDataFor(o.spec, o.ami)
  // A ClientToken whose instances were terminated (a cleaned-up earlier try) returns them
  // again on AWS: move to the next token generation.
  for (let generation = 0; generation < 5; generation++) {
    const clientToken =
      generation === 0 ? o.clientToken : `${o.clientToken.slice(0, 60)}-${generation}`
    const input = runInstancesInput(
      {
        name: o.spec.name,
        imageId: o.ami.imageId,
        instanceType: o.spec.instanceType,
        count: o.spec.count,
        keyName: o.keyName,
        securityGroupId: o.groupId,
        subnetId: o.subnetId,
        rootDeviceName: o.ami.rootDeviceName,
        rootVolume: o.spec.rootVolume,
        userData,
        clientToken,
        tags: o.spec.tags,
      },
      o.tags,
    )
    const out = await ec2Call(ctx, 'RunInstances', (s, ec2) =>
      ec2.send(new s.RunInstancesCommand(input)),
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

async function nameEach(
  ctx: Ec2Context,
  spec: CheckedLaunch,
  instances: Instance[],
): Promise<void> {
  await Promise.all(
    instances.map((instance, i) =>
      ec2Call(ctx, 'CreateTags', (s, ec2) =>
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

function adopted(ctx: Ec2Context, instances: Instance[]): Instance[] {
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

function serverName(spec: CheckedLaunch, i: number): string {
  return spec.count > 1 ? `${spec.name}-${i + 1}` : spec.name
}

function makeServer(o: {
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

async function cleanup(ctx: Ec2Context, created: Created, cause: unknown): Promise<void> {
  if (created.instanceIds.length + created.securityGroupIds.length + created.keyNames.length === 0)
    return
  ctx.emit({
    type: 'info',
    message: `Launch failed (${cause instanceof Error ? cause.message : String(cause)}); deleting what it created.`,
  })
  try {
    await deleteResourcesWith(ctx, created, { minDelay: 2000 })
  } catch (error) {
    ctx.emit({
      type: 'warning',
      message: `Could not delete everything the failed launch created (${JSON.stringify(created)}): ${error instanceof Error ? error.message : String(error)}`,
    })
  }
}
