// A deploy that dies half-way and is simply run again. Two things make that safe:
// - the run id: every resource is tagged with it, and idempotency tokens derive from it;
// - the journal (a JSON file, 0600): after each step it records the step's output, and while a
//   step runs, the ids it has created so far.
// Re-running with the same run id and journal skips the finished steps and lets the interrupted
// one adopt what it had already made: here the process is SIGKILLed right after EC2 answered
// RunInstances, yet the second attempt ends with exactly one instance.
//
//   FERRY_LAB_STATE=.lab/demo/state.json pnpm exec tsx --conditions=@ferry/source examples/resume-after-crash.ts
//
// Without FERRY_LAB_STATE it starts a lab of its own and stops it at the end.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createReporter } from '@ferry/core/reporter'
import { connectLab, type LabInfo } from '@ferry/lab'
import { deploy, inventory, newRunId, teardown, type EventSink, type JournalData } from 'ferry'
import { labAws, labLaunch, labResolveHost, scratchDir, withLab } from './support/lab.js'

/** The deploy both attempts run: same run id, same journal. */
const attempt = (lab: LabInfo, o: { runId: string; dir: string }, onEvent: EventSink) =>
  deploy({
    runId: o.runId,
    journal: `${o.dir}/journal.json`,
    aws: labAws(lab),
    resolveHost: labResolveHost(lab),
  })
    .launchWebServer(labLaunch(lab, o.dir, 'web'), { waiterMinDelay: 200 })
    .openPorts({ https: 'world', ssh: 'me' }, { myIp: async () => '127.0.0.1' })
    .run({ onEvent })

const [, , childRunId, childDir] = process.argv
if (childRunId && childDir) {
  // The first attempt, in a child process: it kills itself as soon as RunInstances has answered
  // (the next EC2 call proves it), so the instance exists but the step never finished.
  const reporter = createReporter()
  let launched = false
  await attempt(
    connectLab(process.env.FERRY_LAB_STATE!),
    { runId: childRunId, dir: childDir },
    (e) => {
      reporter(e)
      if (e.type !== 'aws:call') return
      if (launched) process.kill(process.pid, 'SIGKILL')
      launched ||= e.operation === 'RunInstances'
    },
  )
} else {
  await withLab(async (lab) => {
    const runId = newRunId()
    const scratch = scratchDir('resume')
    const aws = labAws(lab)
    const count = async () =>
      (await inventory(runId, { aws, journal: false, globalAccelerator: false })).regions[
        'us-east-1'
      ]!.instances
    try {
      const self = fileURLToPath(import.meta.url)
      const first = spawnSync(process.execPath, [...process.execArgv, self, runId, scratch.dir], {
        env: { ...process.env, ...lab.env() },
        stdio: 'inherit',
      })
      console.log(`attempt 1 died: ${first.signal ?? `exit ${first.status}`}`)
      const journal = JSON.parse(readFileSync(`${scratch.dir}/journal.json`, 'utf8')) as JournalData
      for (const [step, s] of Object.entries(journal.steps))
        console.log(
          `journal: ${step} is ${s.status}, recorded ${Object.keys(s.records).join(', ') || '-'}`,
        )
      const before = await count()
      console.log(`instances of ${runId} after the crash: ${before.join(', ')}`)

      const second = await attempt(lab, { runId, dir: scratch.dir }, createReporter())
      const after = await count()
      console.log(
        `attempt 2 finished with ${second.context.server.instanceId}; instances: ${after.join(', ')}`,
      )
      console.log(
        after.length === 1 && after[0] === before[0] ? 'adopted, not duplicated' : 'DUPLICATED',
      )
      if (after.length !== 1) process.exitCode = 1

      // Once more: every step is done in the journal, so nothing is called at all.
      let calls = 0
      const third = await attempt(
        lab,
        { runId, dir: scratch.dir },
        (e) => void (calls += +(e.type === 'aws:call')),
      )
      console.log(
        `attempt 3: ${third.steps.map((s) => `${s.name} ${s.status}`).join(', ')}; ${calls} AWS calls`,
      )
    } finally {
      await teardown(runId, {
        aws,
        journal: `${scratch.dir}/journal.json`,
        globalAccelerator: false,
      })
      scratch.remove()
    }
  })
}
