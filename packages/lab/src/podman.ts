import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderDockerWrapper } from './docker-wrapper'
import { LabError } from './errors'
import { buildHttpdImage, HTTPD_IMAGE } from './httpd-image'
import { readLogTail } from './log-tail'
import { podmanLayout, renderContainersConf, renderStorageConf } from './podman-config'
import { valueFlagsFromHelp } from './podman-flags'
import { runCommand } from './run'
import type { LabDocker } from './types'

const PODMAN = '/usr/bin/podman'

/** Where the container engine keeps its files. */
export interface ContainerEngineOptions {
  /** Config and storage directory. */
  dir: string
  /** Where the `docker` script goes. */
  binDir: string
  log: string
}

/**
 * Prepares rootful podman with the lab's own config and storage, writes the `docker` wrapper,
 * removes containers left from an earlier run in the same directory, builds the httpd image if
 * it is missing and proves a container can run. podman has no daemon: nothing to keep running.
 *
 * @example
 * const docker = await startContainerEngine({ dir: `${lab}/podman`, binDir: `${lab}/bin`, log })
 */
export async function startContainerEngine(options: ContainerEngineOptions): Promise<LabDocker> {
  const layout = podmanLayout(options.dir)
  for (const dir of [layout.dir, layout.networksDir, layout.tmpDir, options.binDir]) {
    mkdirSync(dir, { recursive: true, mode: 0o755 })
  }
  writeFileSync(layout.containersConf, renderContainersConf(layout))
  writeFileSync(layout.storageConf, renderStorageConf(layout))
  const bin = join(options.binDir, 'docker')
  const docker = (args: string[]) => runCommand(bin, args, { log: options.log })
  try {
    const [globalHelp, runHelp, createHelp] = await Promise.all(
      [['--help'], ['run', '--help'], ['create', '--help']].map((a) => runCommand(PODMAN, a)),
    )
    writeFileSync(
      bin,
      renderDockerWrapper({
        podman: PODMAN,
        containersConf: layout.containersConf,
        storageConf: layout.storageConf,
        globalValueFlags: valueFlagsFromHelp(globalHelp!.stdout),
        runValueFlags: [
          ...new Set([
            ...valueFlagsFromHelp(runHelp!.stdout),
            ...valueFlagsFromHelp(createHelp!.stdout),
          ]),
        ],
      }),
    )
    chmodSync(bin, 0o755)
    await removeLabContainers(bin, options.log)
    await buildHttpdImage({ docker, workDir: join(layout.dir, 'image') })
    const smoke = await docker(['run', '--rm', '--network', 'none', HTTPD_IMAGE, 'echo', 'lab-ok'])
    if (!smoke.stdout.includes('lab-ok')) throw new Error('a test container printed nothing')
  } catch (e) {
    throw new LabError('podman', e instanceof Error ? e.message : String(e), {
      logTail: readLogTail(options.log),
      logPath: options.log,
      cause: e,
    })
  }
  return { bin, images: { httpd: HTTPD_IMAGE } }
}

/**
 * Force-removes every container in the lab's storage (all of them were started through the
 * lab's `docker`), giving each 2 s to stop.
 *
 * @example
 * await removeLabContainers(lab.docker.bin)
 */
export async function removeLabContainers(dockerBin: string, log?: string): Promise<void> {
  await runCommand(dockerBin, ['rm', '--all', '--force', '--time', '2'], { log })
}
