import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { descendantsOf, isRunning, readProcStat } from './proc'
import { stopProcesses } from './stop'

describe('stopProcesses', () => {
  it('stops a process and a descendant that left its session (as sshd sessions do)', async () => {
    const child = spawn('sh', ['-c', 'setsid sleep 300 & sleep 300'], {
      detached: true,
      stdio: 'ignore',
    })
    const root = { pid: child.pid!, startTime: readProcStat(child.pid!)!.startTime }
    await expect.poll(() => descendantsOf(root.pid).length).toBe(2)
    const tree = [root, ...descendantsOf(root.pid)]
    expect(await stopProcesses([root], 2_000)).toEqual([])
    expect(tree.filter(isRunning)).toEqual([])
  })

  it('kills with SIGKILL what ignores SIGTERM', async () => {
    const child = spawn('sh', ['-c', "trap '' TERM; while :; do sleep 0.1; done"], {
      detached: true,
      stdio: 'ignore',
    })
    const proc = { pid: child.pid!, startTime: readProcStat(child.pid!)!.startTime }
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await stopProcesses([proc], 300)).toEqual([])
    expect(isRunning(proc)).toBe(false)
  })

  it('leaves a pid alone when its start time differs (the pid was reused)', async () => {
    const self = { pid: process.pid, startTime: readProcStat(process.pid)!.startTime + 1 }
    expect(isRunning(self)).toBe(false)
    expect(await stopProcesses([self], 100)).toEqual([])
  })
})
