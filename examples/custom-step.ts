// Your own steps in a ferry deploy: `.step(name, fn)` for a quick one (it reads the typed context
// and adds to it), and `defineStep` for a full one with `undo` and `plan`. The last step here is a
// smoke test that fails on purpose, to show what `onFailure: 'rollback'` does: every finished step
// is undone in reverse, yours included; inline steps without undo are reported as such.
//
//   FERRY_LAB_STATE=.lab/demo/state.json pnpm exec tsx --conditions=@ferry/source examples/custom-step.ts
//
// Without FERRY_LAB_STATE it starts a lab of its own and stops it at the end.
import { existsSync } from 'node:fs'
import { createReporter } from '@ferry/core/reporter'
import { defineStep, deploy, inventory, newRunId, StepError, type ServerRef } from 'ferry'
import { labAws, labLaunch, labResolveHost, scratchDir, withLab } from './support/lab.js'

/** A full step: writes a release banner on the server; undo removes it; plan says what it does. */
const writeBanner = (path: string, release: string) =>
  defineStep<{ server: ServerRef }, { banner: { path: string; release: string } }>({
    name: 'writeBanner',
    async run(ctx, env) {
      const host = await env.host(ctx.server) // pooled SSH host; the run's resolveHost applies
      await host.writeFile(path, `release ${release}\n`, { mode: 0o644, sudo: true })
      return { banner: { path, release } }
    },
    async undo(ctx, env) {
      await (await env.host(ctx.server)).run(['rm', '-f', ctx.banner.path], { sudo: true })
      return `removed ${ctx.banner.path}`
    },
    plan: (ctx) => [
      { kind: 'remote', host: ctx.server.name ?? '{{server}}', command: `write ${path}` },
    ],
  })

await withLab(async (lab) => {
  const aws = labAws(lab)
  const runId = newRunId()
  const scratch = scratchDir('custom')
  const banner = `${scratch.dir}/motd` // stands for /etc/motd: the lab's "instance" is this machine
  try {
    const run = deploy({
      runId,
      journal: false,
      aws,
      resolveHost: labResolveHost(lab),
      onFailure: 'rollback',
    })
      .launchWebServer(labLaunch(lab, scratch.dir, 'web'), { waiterMinDelay: 200 })
      .step('uptime', async (ctx, env) => {
        const out = await (await env.host(ctx.server)).run(['uptime', '-p'])
        return { uptime: out.stdout.trim() } // typed: later steps see ctx.uptime
      })
      .use(writeBanner(banner, '2.4.1'))
      .step('smokeTest', async (ctx, env) => {
        const text = (
          await (await env.host(ctx.server)).readFile(ctx.banner.path, { sudo: true })
        ).toString()
        console.log(`smokeTest: ${ctx.server.instanceId} (${ctx.uptime}) says "${text.trim()}"`)
        throw new Error('expected release 2.5.0') // on purpose: watch the rollback
      })
    console.log(
      'plan of the custom step:',
      JSON.stringify(run.plan().find((p) => p.step === 'writeBanner')),
    )
    const error = await run.run({ onEvent: createReporter() }).catch((e: unknown) => e)

    if (!StepError.is(error)) throw new Error('the smoke test was meant to fail')
    console.log(
      `failed at ${error.step}: ${error.cause instanceof Error ? error.cause.message : ''}`,
    )
    console.log(`rolled back: ${error.rollback!.undone.map((u) => u.step).join(', ')}`)
    console.log(`no undo (nothing to remove): ${error.rollback!.notUndoable.join(', ')}`)
    console.log(`banner still there: ${existsSync(banner)}`)
    const left = await inventory(runId, { aws, journal: false, globalAccelerator: false })
    console.log(`after the rollback: ${left.total} AWS resources of the run`)
    if (left.total > 0) process.exitCode = 1
  } finally {
    scratch.remove()
  }
})
