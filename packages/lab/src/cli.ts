import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { stopLabState } from './connect'
import { describeLab } from './describe'
import { startLab } from './lab'
import { isRunning } from './proc'
import { readLabState } from './state'

/** Where the CLI writes: the bin passes the console; tests pass collectors. */
export interface CliIo {
  print: (line: string) => void
  printError: (line: string) => void
  env?: NodeJS.ProcessEnv
  cwd?: string
}

const USAGE = `usage: ferry-lab <up|down|status> [--dir DIR]

  up      start moto, sshd, nginx, pebble and podman on loopback; print the endpoints
  down    stop the lab recorded in DIR/state.json (by pid) and remove its containers
  status  show whether each recorded process still runs

DIR defaults to $FERRY_LAB_DIR, else ./.ferry-lab`

/**
 * The `ferry-lab` command: `up`, `down`, `status`. Resolves with the exit code.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), { print: console.log, printError: console.error })
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  const dirFlag = rest.indexOf('--dir')
  const dirValue = dirFlag >= 0 ? rest[dirFlag + 1] : (io.env ?? process.env).FERRY_LAB_DIR
  if (dirFlag >= 0 && !dirValue) {
    io.printError(`ferry-lab: --dir needs a directory\n${USAGE}`)
    return 2
  }
  const dir = resolve(io.cwd ?? process.cwd(), dirValue || '.ferry-lab')
  const statePath = join(dir, 'state.json')
  switch (command) {
    case 'up': {
      const lab = await startLab({ dir })
      for (const line of describeLab(lab)) io.print(`[lab] ${line}`)
      io.print(`[lab] up in ${(lab.timings.total! / 1000).toFixed(1)} s; state ${statePath}`)
      io.print(
        `[lab] ssh: ssh -i ${lab.ssh.privateKeyPath} -o UserKnownHostsFile=${lab.ssh.knownHostsPath} -p ${lab.ssh.port} ${lab.ssh.username}@127.0.0.1`,
      )
      io.print(
        `[lab] aws: ${Object.entries(lab.env())
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      )
      return 0
    }
    case 'down': {
      if (!existsSync(statePath)) {
        io.print(`[lab] no lab in ${dir}`)
        return 0
      }
      await stopLabState(statePath)
      io.print(`[lab] down: ${dir}`)
      return 0
    }
    case 'status': {
      const state = readLabState(statePath)
      if (!state) {
        io.print(`[lab] no lab in ${dir}`)
        return 1
      }
      const running = state.processes.filter(isRunning)
      io.print(
        `[lab] ${dir}: ${state.status}, ${running.length}/${state.processes.length} processes running`,
      )
      for (const p of state.processes) {
        io.print(
          `[lab]   ${p.component.padEnd(12)} pid ${p.pid} ${isRunning(p) ? 'running' : 'stopped'}`,
        )
      }
      if (state.lab && running.length > 0)
        for (const line of describeLab(state.lab)) io.print(`[lab] ${line}`)
      return state.status === 'up' && running.length === state.processes.length ? 0 : 1
    }
    case undefined:
    case '-h':
    case '--help':
      io.print(USAGE)
      return command === undefined ? 1 : 0
    default:
      io.printError(`ferry-lab: unknown command ${command}\n${USAGE}`)
      return 1
  }
}
