// launchWebServer: validate → resolve (type, AMI, network: read-only) → create key pair,
// security group and instances (or adopt them after a crash) → climb the readiness ladder.
// A failure after something was created deletes what this call created.
import { randomUUID } from 'node:crypto'
import {
  idempotencyToken,
  type Host,
  type ResolveHost,
  type ServerRef,
  type SshHostOptions,
} from '@ferry/core'
import { resolveAmi } from './ami.js'
import type { MyIpResolver } from './my-ip.js'
import { openPortsWith } from './open-ports.js'
import { assertOfferedIn } from './resize.js'
import { adopted, makeServer, runInstances, serverName } from './launch-instances.js'
import { assertRunnable, launchArchitecture, resolveNetwork } from './launch-resolve.js'
import { checkLaunchInput, type CheckedLaunch, type LaunchWebServerInput } from './launch-spec.js'
import {
  ensureKeyPair,
  ensureSecurityGroup,
  precheckKeyFiles,
  type Created,
} from './launch-resources.js'
import { progress, reachServer, READY_LEVELS, waitCloudInit, type ReadyLevel } from './readiness.js'
import { ec2Context, type Ec2Context, type Ec2Options } from './sdk.js'
import { findTagged, type TaggedResources } from './tagged.js'
import { deleteResourcesWith } from './terminate.js'
import { waitForInstances } from './waiters.js'
import type { WebServer } from './web-server.js'

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
  /** Resolves `me` for `sshFrom`; default asks checkip.amazonaws.com (or `$FERRY_CHECKIP_URL`). */
  myIp?: MyIpResolver
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
    // Refused here, before anything is made, not by RunInstances after the key and group exist.
    if (network.zone) await assertOfferedIn(ctx, spec.instanceType, network.zone)
    const associatePublicIp = network.mapsPublicIp === false && reachesSsh(spec)
    if (associatePublicIp)
      ctx.emit({
        type: 'info',
        message: `Subnet ${network.subnetId} maps no public IPv4 address: asking for one on the primary interface (SSH dials the public address).`,
      })
    const key = await ensureKeyPair(ctx, spec, { found, created, tags })
    const group = await ensureSecurityGroup(ctx, spec, {
      found,
      created,
      tags,
      vpcId: network.vpcId,
    })
    await options.record?.('keyPair', key.info.name)
    await options.record?.('securityGroup', group.groupId)
    await openSshForLadder(ctx, spec, { groupId: group.groupId, options, tags })
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
            associatePublicIp,
            clientToken:
              options.clientToken ?? idempotencyToken(tags.runId, tags.step, 'run-instances'),
          })
    const ids = instances.map((i) => i.InstanceId!)
    await options.record?.('instances', ids.join(','))
    const times = { maxWaitTime: options.maxWaitTime, minDelay: options.waiterMinDelay }
    // The wait's last describe is the instances as they run: no second DescribeInstances.
    const described = await waitForInstances(ctx, { state: 'running', instanceIds: ids, ...times })
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

// A new group has no ingress, so on AWS the SSH rung would wait for nothing: open SSH to the
// launch's `sshFrom` (default: you) first. An adopted group keeps what it has, plus this rule.
async function openSshForLadder(
  ctx: Ec2Context,
  spec: CheckedLaunch,
  o: { groupId: string; options: LaunchWebServerOptions; tags: { runId: string; step: string } },
): Promise<void> {
  if (spec.sshFrom === false || !reachesSsh(spec)) return
  await openPortsWith(ctx, {
    groupId: o.groupId,
    spec: { ssh: spec.sshFrom ?? 'me', https: false, http: false },
    sshPort: spec.sshPort,
    options: { myIp: o.options.myIp, runId: o.tags.runId, step: o.tags.step },
  })
}

const reachesSsh = (spec: CheckedLaunch) =>
  READY_LEVELS.indexOf(spec.ready) >= READY_LEVELS.indexOf('ssh')

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

async function cleanup(ctx: Ec2Context, created: Created, cause: unknown): Promise<void> {
  if (created.instanceIds.length + created.securityGroupIds.length + created.keyNames.length === 0)
    return
  ctx.emit({
    type: 'info',
    message: `Launch failed (${cause instanceof Error ? cause.message : String(cause)}); deleting what it created.`,
  })
  try {
    // Everything here is seconds old: a NotFound may only mean "not visible yet".
    await deleteResourcesWith(ctx, created, { minDelay: 2000, fresh: true })
  } catch (error) {
    ctx.emit({
      type: 'warning',
      message: `Could not delete everything the failed launch created (${JSON.stringify(created)}): ${error instanceof Error ? error.message : String(error)}`,
    })
  }
}
