import { closeSync, fstatSync, openSync, readSync } from 'node:fs'

/**
 * The last `lines` lines of a log file, or '' when it does not exist yet.
 *
 * @example
 * readLogTail('/tmp/lab/logs/sshd.log', 20)
 */
export function readLogTail(path: string, lines = 30): string {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return ''
  }
  try {
    // Logs can grow large; the tail is in the last 16 KiB.
    const size = fstatSync(fd).size
    const length = Math.min(size, 16 * 1024)
    const buf = Buffer.alloc(length)
    readSync(fd, buf, 0, length, size - length)
    return buf.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } finally {
    closeSync(fd)
  }
}
