// The whole seed flow in one deploy, against the lab: launch a web server → open 443 (world),
// 80 (redirect + ACME) and 22 (only from you) → two backend containers → nginx routing two host
// names to them → a certificate from pebble (Let's Encrypt's test CA) → snapshot → AMI → copy to
// a second region → share with an account → CloudFront invalidation → Global Accelerator. Then
// real HTTPS requests through nginx, a summary of everything created, teardown by run id, and a
// second summary proving nothing is left (exit 1 otherwise).
//
//   FERRY_LAB_STATE=.lab/demo/state.json pnpm exec tsx --conditions=@ferry/source examples/full-stack.ts
//
// Without FERRY_LAB_STATE it starts a lab of its own and stops it at the end.
import { pathToFileURL } from 'node:url'
import { CloudFrontClient } from '@aws-sdk/client-cloudfront'
import { createReporter } from '@ferry/core/reporter'
import { createLabGlobalAccelerator, type LabGlobalAccelerator, type LabInfo } from '@ferry/lab'
import {
  awsClientConfig,
  deploy,
  describeAccelerator,
  inventory,
  newRunId,
  stopContainer,
  teardown,
  type AwsOptions,
  type EventSink,
  type RunInventory,
} from 'ferry'
import { createDistribution, deleteDistribution } from './support/cloudfront.js'
import { httpsGet, type HttpsReply } from './support/https.js'
import {
  hostPort,
  labAcme,
  labAws,
  labLaunch,
  labNginx,
  labResolveHost,
  labSshHost,
  scratchDir,
  withLab,
} from './support/lab.js'
import { printCreated, printLeft } from './support/full-stack-summary.js'

/** What a caller may choose; the defaults suit a lab of its own. */
export interface FullStackOptions {
  runId?: string
  /** The two host names nginx routes. Default api.lab.test and www.lab.test. */
  names?: { api: string; www: string }
  /** Host ports of the two backends. Default 8080 and 8081, or free ones when those are taken. */
  ports?: { api: number; www: number }
  /** The caller's address, for SSH ingress (the lab has no internet to ask checkip). */
  myIp?: string
  secondRegion?: string
  shareWith?: string
  onEvent?: EventSink
  /** Lines for the reader (notes such as a port that was taken). */
  log?: (line: string) => void
}

/** What the deploy works with, and what removeFullStack needs to undo it all. */
export interface FullStackHandles {
  lab: LabInfo
  runId: string
  /** The run's journal: teardown reads the regions the run touched from it. */
  journal: string
  aws: AwsOptions
  secondRegion: string
  shareWith: string
  myIp: string
  /** The nginx site file's name (`<site>.conf`). */
  site: string
  names: { api: string; www: string }
  ports: { api: number; www: number }
  containers: { api: string; www: string }
  ga: LabGlobalAccelerator
  cloudFront: CloudFrontClient
  distribution: { id: string; domainName: string }
  scratch: { dir: string; remove: () => void }
}

/** The deploy's context: everything each step added. */
export type FullStackContext = Awaited<
  ReturnType<ReturnType<typeof fullStackDeploy>['run']>
>['context']

/** Everything deployed, what answered, and what the run's tags find. */
export interface FullStack extends FullStackHandles {
  context: FullStackContext
  answers: Record<'api' | 'www', HttpsReply>
  /** DescribeAccelerator's status, read back after the run. */
  acceleratorStatus: string | undefined
  created: RunInventory
}

/**
 * Deploys the whole flow and requests both sites over HTTPS; on failure removes what it made.
 * @example
 * const stack = await deployFullStack(lab, { onEvent: createReporter() })
 */
export async function deployFullStack(lab: LabInfo, o: FullStackOptions = {}): Promise<FullStack> {
  const runId = o.runId ?? newRunId()
  const tag = runId.slice(-6) // short and unique enough for container and site names
  const aws = labAws(lab)
  const names = o.names ?? { api: 'api.lab.test', www: 'www.lab.test' }
  const scratch = scratchDir(runId)
  const h: Omit<FullStackHandles, 'ga' | 'cloudFront' | 'distribution'> = {
    lab,
    runId,
    journal: `${scratch.dir}/journal.json`,
    aws,
    secondRegion: o.secondRegion ?? 'us-west-1',
    shareWith: o.shareWith ?? '111122223333',
    myIp: o.myIp ?? '127.0.0.1', // the lab's sshd sees you as 127.0.0.1
    site: `full-stack-${tag}`,
    names,
    ports: o.ports ?? (await defaultPorts(o.log ?? (() => {}))),
    containers: { api: `api-${tag}`, www: `www-${tag}` },
    scratch,
  }
  // moto has no Global Accelerator: the lab's strict layer serves it at the same endpoint, so
  // ferry's own clients reach it through `aws` as on AWS. This client only reads back.
  const ga = await createLabGlobalAccelerator(lab.aws)
  const cloudFront = new CloudFrontClient(awsClientConfig(aws))
  const distribution = await createDistribution(cloudFront, { origin: names.www, runId })
  const handles: FullStackHandles = { ...h, ga, cloudFront, distribution }
  try {
    const run = await fullStackDeploy(handles).run({ onEvent: o.onEvent })
    // Real requests: TLS verified against pebble's root only, SNI set, through the lab's nginx.
    const get = (name: string) => httpsGet({ name, port: lab.nginx.httpsPort, ca: lab.acme.rootCa })
    const answers = { api: await get(names.api), www: await get(names.www) }
    // Read back through the API, as any Global Accelerator client would.
    const acc = await describeAccelerator(ga.client, run.context.accelerator.arn)
    const created = await inventoryOf(handles)
    return { ...handles, context: run.context, answers, acceleratorStatus: acc?.Status, created }
  } catch (error) {
    await removeFullStack(handles).catch(() => {}) // leave nothing behind; the cause matters more
    throw error
  }
}

/**
 * The deploy itself, one fluent chain: each method is a ferry module's step.
 * @example
 * const { context } = await fullStackDeploy(handles).run({ onEvent: createReporter() })
 */
export function fullStackDeploy(h: FullStackHandles) {
  const { lab, names, ports, containers, site } = h
  const nginx = labNginx(lab)
  const image = lab.docker.images.httpd // a tiny web server that answers with $MESSAGE on port 80
  const docker = { docker: lab.docker.bin }
  return deploy({
    runId: h.runId,
    journal: h.journal,
    aws: h.aws,
    resolveHost: labResolveHost(lab),
  })
    .launchWebServer(labLaunch(lab, h.scratch.dir, 'web'), { waiterMinDelay: 200 })
    .openPorts({ https: 'world', http: 'world', ssh: 'me' }, { myIp: async () => h.myIp })
    .runContainer(
      {
        name: containers.api,
        image,
        ports: { [ports.api]: 80 },
        env: { MESSAGE: 'hello from api' },
      },
      docker,
    )
    .runContainer(
      {
        name: containers.www,
        image,
        ports: { [ports.www]: 80 },
        env: { MESSAGE: 'hello from www' },
      },
      docker,
    )
    .configureReverseProxy({
      name: site,
      routes: { [names.api]: ports.api, [names.www]: ports.www },
      nginx,
    })
    .issueCertificate({
      domains: [names.api, names.www],
      site,
      nginx,
      ...labAcme(lab, h.scratch.dir),
    })
    .snapshotVolume()
    .createAmi()
    .copyAmi({ regions: [h.secondRegion] })
    .shareAmi({ accountIds: [h.shareWith], includeCopies: true })
    .invalidate({ distribution: h.distribution.id, paths: ['/index.html', '/assets/*'] })
    .createAccelerator({
      name: `web-${h.runId.slice(-6)}`,
      listeners: [{ protocol: 'TCP', ports: [80] }],
    })
}

/**
 * Removes everything: on the "instance" the containers, the site and its certificate (on AWS,
 * terminating the instance takes them along; the lab's instance is this machine); in AWS all the
 * run made, by its tags; then the distribution this script made. Returns what is left, read
 * back: the run's inventory and anything of it still on the host.
 * @example
 * const { left } = await removeFullStack(stack)
 */
export async function removeFullStack(s: FullStackHandles, onEvent?: EventSink) {
  const host = labSshHost(s.lab)
  const files = [`${s.lab.nginx.confDir}/${s.site}.conf`, `${s.lab.nginx.certDir}/${s.names.api}`]
  let hostLeft: string[]
  try {
    for (const name of Object.values(s.containers))
      await stopContainer(host, name, { remove: true, docker: s.lab.docker.bin }).catch(() => {})
    await host.run(['rm', '-rf', ...files], { sudo: true })
    await host.run(s.lab.nginx.reloadCommand, { sudo: true })
    // Read back: no container of ours listed, none of our files there.
    const ps = await host.run([s.lab.docker.bin, 'ps', '-a', '--format', '{{.Names}}'], {
      sudo: true,
    })
    const running = ps.stdout.split('\n').filter((n) => Object.values(s.containers).includes(n))
    const present = await Promise.all(files.map((f) => host.exists(f, { sudo: true })))
    hostLeft = [...running, ...files.filter((_f, i) => present[i])]
  } finally {
    await host.close()
  }
  const report = await teardown(s.runId, {
    aws: s.aws,
    regions: [s.aws.region!, s.secondRegion],
    journal: s.journal,
    onEvent,
  })
  await deleteDistribution(s.cloudFront, s.distribution.id)
  const left = await inventoryOf(s)
  s.ga.close()
  s.cloudFront.destroy()
  s.scratch.remove()
  return { report, left, hostLeft }
}

function inventoryOf(s: FullStackHandles): Promise<RunInventory> {
  return inventory(s.runId, {
    aws: s.aws,
    regions: [s.aws.region!, s.secondRegion],
    journal: s.journal,
  })
}

async function defaultPorts(log: (line: string) => void): Promise<{ api: number; www: number }> {
  const api = await hostPort(8080)
  const www = await hostPort(api.port === 8081 ? 8082 : 8081)
  for (const note of [api.note, www.note]) if (note) log(note)
  return { api: api.port, www: www.port }
}

async function main(): Promise<void> {
  await withLab(async (lab) => {
    const stack = await deployFullStack(lab, {
      onEvent: createReporter(),
      log: (line) => console.log(`note: ${line}`),
    })
    try {
      printCreated(stack)
    } finally {
      console.log(`\nteardown(${stack.runId}) …`)
      const { left, hostLeft } = await removeFullStack(stack, createReporter())
      printLeft(stack, left, hostLeft)
      if (left.total > 0 || hostLeft.length > 0) process.exitCode = 1
    }
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
