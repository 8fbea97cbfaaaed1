// The fleet benchmark of issue 3: ferry vs a hand-written node-ssh script applying the same
// host-side steps (container, nginx site, certificate) to 1 and 20 lab hosts, side by side in one
// run. It starts its own lab and stops it at the end. The work is in bench/fleet/*.ts, run from
// source through tsx (nothing to build first). Settings: see bench/fleet/main.ts.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
// node --import tsx rather than the tsx CLI: the CLI's signal relay SIGKILLs a child that does
// not acknowledge SIGINT within 30 ms, which would skip the lab's shutdown.
const child = spawn(
  process.execPath,
  [
    '--conditions=@ferry/source',
    '--import',
    'tsx',
    `${root}bench/fleet/main.ts`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', cwd: root },
)
// The child stops its lab on SIGINT/SIGTERM; wait for it rather than dying first.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)))
