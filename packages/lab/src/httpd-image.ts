import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCommand, type RunResult } from './run'

/**
 * The image every lab has: busybox httpd serving `$MESSAGE` on port 80.
 *
 * @example
 * await host.run(['sudo', lab.docker.bin, 'run', '-d', '-p', '8080:80', HTTPD_IMAGE])
 */
export const HTTPD_IMAGE = 'localhost/ferry-lab/httpd:1'

// httpd runs in the background and the shell waits, so SIGTERM (from `docker stop`, with or
// without --init) ends the container at once; `exec httpd` as pid 1 would ignore SIGTERM.
const SERVE = [
  'mkdir -p /www',
  'echo "${MESSAGE:-hello from ferry-lab}" > /www/index.html',
  'httpd -f -p 80 -h /www & pid=$!',
  "trap 'kill $pid; exit 0' TERM INT",
  'wait $pid',
].join('; ')

/** How to reach the engine and where to build. */
export interface BuildImageOptions {
  docker: (args: string[]) => Promise<RunResult>
  workDir: string
  busybox?: string
}

/**
 * Builds {@link HTTPD_IMAGE} unless it exists: no registry is reachable, so the image is a
 * rootfs of the static busybox with a symlink per applet, imported with a CMD.
 *
 * @example
 * await buildHttpdImage({ docker: (args) => runCommand(bin, args), workDir })
 */
export async function buildHttpdImage(options: BuildImageOptions): Promise<void> {
  const exists = await options.docker(['image', 'exists', HTTPD_IMAGE]).then(
    () => true,
    () => false,
  )
  if (exists) return
  const busybox = options.busybox ?? ['/usr/bin/busybox', '/bin/busybox'].find((p) => existsSync(p))
  if (!busybox) throw new Error('busybox not found: install busybox-static (scripts/setup.sh)')
  const rootfs = join(options.workDir, 'rootfs')
  rmSync(options.workDir, { recursive: true, force: true })
  for (const dir of ['bin', 'etc', 'tmp', 'www']) mkdirSync(join(rootfs, dir), { recursive: true })
  copyFileSync(busybox, join(rootfs, 'bin', 'busybox'))
  const { stdout } = await runCommand(busybox, ['--list'])
  for (const applet of stdout.split('\n').filter((a) => a && a !== 'busybox')) {
    symlinkSync('busybox', join(rootfs, 'bin', applet))
  }
  writeFileSync(
    join(rootfs, 'etc', 'passwd'),
    'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n',
  )
  writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n')
  const tar = join(options.workDir, 'rootfs.tar')
  await runCommand('tar', ['-C', rootfs, '-cf', tar, '.'])
  await options.docker([
    'import',
    '--change',
    `CMD ${JSON.stringify(['/bin/sh', '-c', SERVE])}`,
    '--change',
    'EXPOSE 80',
    '--change',
    'ENV PATH=/bin',
    tar,
    HTTPD_IMAGE,
  ])
  rmSync(options.workDir, { recursive: true, force: true })
}
