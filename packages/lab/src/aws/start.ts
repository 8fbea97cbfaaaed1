// Starts the strict AWS layer as a lab daemon in front of moto.
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { spawnDaemon, waitUntilReady, type Daemon } from '../daemon'
import { httpGet } from '../probes'
import type { LabProcess } from '../proc'
import type { AwsLayerOptions } from './layer'

/**
 * Spawns the layer (from source through tsx in the repo, else the built file) and waits until
 * it answers /_lab/health.
 * @example
 * const { endpoint } = await startStrictAws({ layer, log, timeoutMs: 30_000 })
 */
export async function startStrictAws(o: {
  layer: AwsLayerOptions
  log: string
  timeoutMs: number
  onSpawn?: (p: LabProcess) => void
}): Promise<{ daemon: Daemon; endpoint: string }> {
  const fromSource = new URL(import.meta.url).pathname.endsWith('.ts')
  const main = fileURLToPath(new URL(fromSource ? './main.ts' : './aws-main.js', import.meta.url))
  const args = fromSource
    ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href, main]
    : [main]
  const daemon = await spawnDaemon({
    component: 'aws',
    command: process.execPath,
    args: [...args, JSON.stringify(o.layer)],
    log: o.log,
    onSpawn: o.onSpawn,
  })
  const endpoint = `http://127.0.0.1:${o.layer.port}`
  await waitUntilReady(daemon, {
    probe: async () => (await httpGet(`${endpoint}/_lab/health`)).status === 200,
    timeoutMs: o.timeoutMs,
  })
  return { daemon, endpoint }
}
