// The fluent form of the pipeline: one method per module step, named as in the seeds'
// checklist, so a deploy script reads launchWebServer → openPorts → … → createAccelerator.
import {
  pipeline,
  type Pipeline,
  type AnyStep,
  type Merge,
  type NeedsMet,
  type PipelineOptions,
  type PipelineRunOptions,
  type PreflightReport,
  type RunReport,
  type Step,
  type StepEnv,
  type StepPlan,
} from '@ferry/core'
import { launchWebServerStep, openPortsStep, runContainerStep } from '@ferry/ec2'
import { createAcceleratorStep, invalidateStep } from '@ferry/edge'
import { copyAmiStep, createAmiStep, shareAmiStep, snapshotVolumeStep } from '@ferry/images'
import { configureReverseProxyStep, issueCertificateStep } from '@ferry/proxy'
import type { AddsOf, FluentArgs } from './fluent-types.js'

/** The fluent deploy builder's type after a step from `TFactory`. */
type Next<TCtx extends object, TFactory> = Deploy<Merge<TCtx, AddsOf<TFactory>>>

/**
 * Starts a fluent deploy: each method adds the module step of the same name.
 * @example
 * const { context } = await deploy({ aws: { region: 'ap-south-1' } })
 *   .launchWebServer({ instanceType: 't3.micro' })
 *   .openPorts()
 *   .runContainer({ name: 'api', image: 'ghcr.io/acme/api:1.4', ports: { 8080: 3000 } })
 *   .configureReverseProxy({ routes: { 'api.example.com': 8080 } })
 *   .run({ onEvent: createReporter() })
 */
export function deploy(options: PipelineOptions = {}): Deploy<Record<never, never>> {
  return new Deploy(pipeline(options))
}

/**
 * An immutable fluent pipeline; `.pipeline` is the underlying core pipeline.
 * @example
 * const d: Deploy<{ server: WebServer }> = deploy({ aws }).launchWebServer({ name: 'web' })
 */
export class Deploy<TCtx extends object> {
  constructor(readonly pipeline: Pipeline<TCtx>) {}

  /** Adds any step (a module's, or your own `defineStep`). */
  use<TNeeds extends object, TAdds extends object>(
    step: Step<TNeeds, TAdds> & NeedsMet<TCtx, TNeeds>,
  ): Deploy<Merge<TCtx, TAdds>> {
    return new Deploy(this.pipeline.use(step))
  }

  /** Adds a custom step from a function of the context so far. */
  step<TAdds extends object>(
    name: string,
    run: (ctx: TCtx, env: StepEnv) => Promise<TAdds> | TAdds,
  ): Deploy<Merge<TCtx, TAdds>> {
    return new Deploy(this.pipeline.step(name, run))
  }

  /** Launches one or `count` web servers (see `@ferry/ec2` launchWebServer). Adds `{ server, servers }`. */
  launchWebServer(
    ...args: FluentArgs<TCtx, typeof launchWebServerStep>
  ): Next<TCtx, typeof launchWebServerStep> {
    return this.#add(launchWebServerStep(...(args as Parameters<typeof launchWebServerStep>)))
  }
  /** Opens ports on the servers' security group: 443 world, 80, 22 from you by default. Adds `{ ingress }`. */
  openPorts(...args: FluentArgs<TCtx, typeof openPortsStep>): Next<TCtx, typeof openPortsStep> {
    return this.#add(openPortsStep(...(args as Parameters<typeof openPortsStep>)))
  }
  /** Runs a container on every server. Adds `{ containers }`. */
  runContainer(
    ...args: FluentArgs<TCtx, typeof runContainerStep>
  ): Next<TCtx, typeof runContainerStep> {
    return this.#add(runContainerStep(...(args as Parameters<typeof runContainerStep>)))
  }
  /** Puts nginx in front of the backends on every server. Adds `{ proxy }`. */
  configureReverseProxy(
    ...args: FluentArgs<TCtx, typeof configureReverseProxyStep>
  ): Next<TCtx, typeof configureReverseProxyStep> {
    return this.#add(
      configureReverseProxyStep(...(args as Parameters<typeof configureReverseProxyStep>)),
    )
  }
  /** Issues a certificate (ACME http-01) and switches the site to HTTPS. Adds `{ certificate }`. */
  issueCertificate(
    ...args: FluentArgs<TCtx, typeof issueCertificateStep>
  ): Next<TCtx, typeof issueCertificateStep> {
    return this.#add(issueCertificateStep(...(args as Parameters<typeof issueCertificateStep>)))
  }
  /** Snapshots the server's root (or named) volume. Adds `{ snapshot }`. */
  snapshotVolume(
    ...args: FluentArgs<TCtx, typeof snapshotVolumeStep>
  ): Next<TCtx, typeof snapshotVolumeStep> {
    return this.#add(snapshotVolumeStep(...(args as Parameters<typeof snapshotVolumeStep>)))
  }
  /** Registers an AMI from the snapshot. Adds `{ ami }`. */
  createAmi(...args: FluentArgs<TCtx, typeof createAmiStep>): Next<TCtx, typeof createAmiStep> {
    return this.#add(createAmiStep(...(args as Parameters<typeof createAmiStep>)))
  }
  /** Copies the AMI to other regions. Adds `{ amiCopies }`. */
  copyAmi(...args: FluentArgs<TCtx, typeof copyAmiStep>): Next<TCtx, typeof copyAmiStep> {
    return this.#add(copyAmiStep(...(args as Parameters<typeof copyAmiStep>)))
  }
  /** Shares the AMI (and its copies, when asked) with accounts, or publicly only when asked. Adds `{ amiShares }`. */
  shareAmi(...args: FluentArgs<TCtx, typeof shareAmiStep>): Next<TCtx, typeof shareAmiStep> {
    return this.#add(shareAmiStep(...(args as Parameters<typeof shareAmiStep>)))
  }
  /** Invalidates CloudFront paths. Adds `{ invalidation }`. */
  invalidate(...args: FluentArgs<TCtx, typeof invalidateStep>): Next<TCtx, typeof invalidateStep> {
    return this.#add(invalidateStep(...(args as Parameters<typeof invalidateStep>)))
  }
  /** Puts a Global Accelerator in front of the servers. Adds `{ accelerator }`. */
  createAccelerator(
    ...args: FluentArgs<TCtx, typeof createAcceleratorStep>
  ): Next<TCtx, typeof createAcceleratorStep> {
    return this.#add(createAcceleratorStep(...(args as Parameters<typeof createAcceleratorStep>)))
  }

  /** A copy with other options (e.g. a fixed run id to resume). */
  with(options: Partial<PipelineOptions>): Deploy<TCtx> {
    return new Deploy(this.pipeline.with(options))
  }
  /** Every step's AWS calls and remote commands, made by none of them. */
  plan(): StepPlan[] {
    return this.pipeline.plan()
  }
  /** EC2 DryRun checks of every step, before anything is created. */
  preflight(options?: Omit<PipelineRunOptions, 'runId'>): Promise<PreflightReport> {
    return this.pipeline.preflight(options)
  }
  /** Runs (or resumes) the deploy. */
  run(options?: PipelineRunOptions): Promise<RunReport<TCtx>> {
    return this.pipeline.run(options)
  }

  // The method signatures above check the types; this only appends the step.
  #add<TNext>(step: AnyStep): TNext {
    return new Deploy(this.pipeline.use(step as never)) as TNext
  }
}
