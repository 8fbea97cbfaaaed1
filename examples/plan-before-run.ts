// Look before you leap: `plan()` lists every AWS call (with its exact input) and every remote
// command a deploy would make, making none of them; `preflight()` then asks EC2 with
// `DryRun=true` whether you may make the calls that create things (DryRunOperation = allowed,
// UnauthorizedOperation = a missing permission, named). Nothing is created by either.
//
//   FERRY_LAB_STATE=.lab/demo/state.json pnpm exec tsx --conditions=@ferry/source examples/plan-before-run.ts
//
// Without FERRY_LAB_STATE it starts a lab of its own and stops it at the end. (moto answers every
// DryRun with DryRunOperation: it does not enforce IAM.)
import { deploy, inventory, newRunId, type PlanEntry } from 'ferry'
import {
  labAcme,
  labAws,
  labLaunch,
  labNginx,
  labResolveHost,
  scratchDir,
  withLab,
} from './support/lab.js'

await withLab(async (lab) => {
  const runId = newRunId()
  const aws = labAws(lab)
  const scratch = scratchDir('plan')
  const nginx = labNginx(lab)
  try {
    const site = deploy({ runId, journal: false, aws, resolveHost: labResolveHost(lab) })
      .launchWebServer({ ...labLaunch(lab, scratch.dir, 'web'), instanceType: 't3.small' })
      .openPorts() // 443 + 80 from the world, 22 from you
      .runContainer({ name: 'api', image: 'ghcr.io/acme/api:1.4', ports: { 8080: 3000 } })
      .configureReverseProxy({ routes: { 'api.example.com': 8080 }, nginx })
      .issueCertificate({ domains: ['api.example.com'], nginx, ...labAcme(lab, scratch.dir) })
      .snapshotVolume()
      .createAmi()
      .copyAmi({ regions: ['eu-west-1'] })

    console.log(`plan of ${runId} (values of earlier steps are {{placeholders}}):`)
    for (const { step, entries } of site.plan()) {
      console.log(`${step}`)
      for (const entry of entries) console.log(`  ${describe(entry)}`)
    }

    const report = await site.preflight()
    console.log('\npreflight (EC2 DryRun):')
    for (const s of report.steps)
      console.log(
        `  ${s.step}: ${!s.checked ? 'no AWS permission to check' : s.ok ? 'allowed' : `DENIED: ${s.error?.message}`}`,
      )
    console.log(`preflight ok: ${report.ok}`)

    const made = await inventory(runId, { aws, journal: false, globalAccelerator: false })
    console.log(`resources of ${runId} after plan and preflight: ${made.total}`)
  } finally {
    scratch.remove()
  }
})

/** One line per planned action; AWS inputs shortened to their keys and first values. */
function describe(entry: PlanEntry): string {
  switch (entry.kind) {
    case 'aws': {
      const input = JSON.stringify(entry.input)
      return `${entry.service} ${entry.operation} ${input.length > 110 ? `${input.slice(0, 110)}…` : input}`
    }
    case 'remote':
      return `${entry.host} $ ${entry.command.length > 110 ? `${entry.command.slice(0, 110)}…` : entry.command}`
    case 'note':
      return `note: ${entry.text}`
  }
}
