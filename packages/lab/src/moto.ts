import { accessSync, constants } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnDaemon, waitUntilReady, type Daemon } from './daemon'
import { LabError } from './errors'
import { httpGet } from './probes'
import type { LabProcess } from './proc'
import type { LabAws } from './types'

const VENV_BIN = join('.lab', 'venv', 'bin', 'moto_server')

/** Where to run moto from and where its log goes. */
export interface MotoOptions {
  port: number
  log: string
  motoServer?: string
  timeoutMs: number
  /** Called with each process as soon as it is spawned. */
  onSpawn?: (process: LabProcess) => void
}

/**
 * Starts moto's server on 127.0.0.1 and waits until it answers EC2 DescribeRegions.
 *
 * @example
 * const { daemon, aws } = await startMoto({ port, log, timeoutMs: 30_000 })
 */
export async function startMoto(
  options: MotoOptions,
): Promise<{ daemon: Daemon; aws: Omit<LabAws, 'motoEndpoint' | 'callerIp'> }> {
  const bin = findMotoServer(options.motoServer)
  const daemon = await spawnDaemon({
    component: 'moto',
    command: bin,
    args: ['-H', '127.0.0.1', '-p', String(options.port)],
    log: options.log,
    onSpawn: options.onSpawn,
  })
  const endpoint = `http://127.0.0.1:${options.port}`
  await waitUntilReady(daemon, {
    probe: () => answersDescribeRegions(endpoint),
    timeoutMs: options.timeoutMs,
  })
  const aws = {
    endpoint,
    region: 'us-east-1' as const,
    credentials: { accessKeyId: 'testing' as const, secretAccessKey: 'testing' as const },
  }
  return { daemon, aws }
}

/**
 * Finds moto_server: the option, `$FERRY_LAB_MOTO`, `.lab/venv/bin/moto_server` in the current
 * directory or any parent (then from this package's own directory up), else `PATH`.
 *
 * @example
 * findMotoServer()   // '/work/repo/.lab/venv/bin/moto_server'
 */
export function findMotoServer(explicit?: string): string {
  const fromEnv = explicit ?? process.env.FERRY_LAB_MOTO
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv
    throw new LabError('moto', `moto_server not executable at ${fromEnv}`)
  }
  const here = dirname(fileURLToPath(import.meta.url))
  const candidates = [
    ...ancestors(process.cwd()).map((d) => join(d, VENV_BIN)),
    ...ancestors(here).map((d) => join(d, VENV_BIN)),
    ...(process.env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((d) => join(d, 'moto_server')),
  ]
  const found = candidates.find(isExecutable)
  if (found) return found
  throw new LabError(
    'moto',
    'moto_server not found: run scripts/setup.sh (installs moto[server] into .lab/venv), ' +
      'or pass { motoServer } / set FERRY_LAB_MOTO',
  )
}

async function answersDescribeRegions(endpoint: string): Promise<boolean> {
  // moto routes a request to a service by the credential scope of its (unchecked) signature.
  const { status, body } = await httpGet(`${endpoint}/`, {
    method: 'POST',
    body: 'Action=DescribeRegions&Version=2016-11-15',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
    },
  })
  if (status === 200 && body.includes('<regionName>us-east-1</regionName>')) return true
  throw new Error(`DescribeRegions answered ${status}`)
}

function ancestors(start: string): string[] {
  const dirs = [start]
  while (dirname(dirs[dirs.length - 1]!) !== dirs[dirs.length - 1]) {
    dirs.push(dirname(dirs[dirs.length - 1]!))
  }
  return dirs
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
