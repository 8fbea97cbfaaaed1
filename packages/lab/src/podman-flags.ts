/**
 * The option names (short and long) that take a separate value, read from a podman/cobra
 * `--help` text: `-e, --env stringArray` takes one, `-d, --detach` does not, and
 * `--pull string[="missing"]` has an optional inline value so it does not consume the next word.
 *
 * @example
 * valueFlagsFromHelp('  -e, --env stringArray   Set env\n  -d, --detach   Detach')   // ['-e', '--env']
 */
export function valueFlagsFromHelp(help: string): string[] {
  const flags: string[] = []
  const line = /^\s+(?:(-[A-Za-z0-9]), )?(--[A-Za-z0-9-]+)(?: (\S+))?\s{2,}/
  for (const text of help.split('\n')) {
    const match = line.exec(`${text}  `)
    if (!match) continue
    const [, short, long, type] = match
    if (type === undefined || type.includes('[=')) continue
    if (short) flags.push(short)
    flags.push(long!)
  }
  return flags
}
