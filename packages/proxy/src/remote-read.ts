// Reading a file that may not exist, in one round trip (exists + read would be two).
import { CommandError, remotePath, type Host } from '@ferry/core'

/**
 * The file's bytes, or null when there is no such file.
 * @example
 * const text = (await readOptional(host, '/etc/nginx/conf.d/web.conf', { sudo: true }))?.toString()
 */
export async function readOptional(
  host: Host,
  path: string,
  options: { sudo: boolean; signal?: AbortSignal },
): Promise<Buffer | null> {
  const argv = ['sh', '-c', '[ -e "$1" ] || exit 3; cat -- "$1"', 'ferry-read', remotePath(path)]
  const out = await host.run(argv, { ...options, check: false, quiet: true })
  if (out.exitCode === 3) return null
  if (out.exitCode !== 0)
    throw new CommandError({
      host: host.name,
      command: `read ${path}`,
      exitCode: out.exitCode,
      stderr: out.stderr,
    })
  return out.stdoutBuffer
}
