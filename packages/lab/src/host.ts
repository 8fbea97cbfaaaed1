import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { GateInstance, GatePort } from './aws/gate'
import { LabError } from './errors'
import type { LabHost, LabInfo, LabTarget } from './types'

/**
 * Where to SSH for an instance launched through the lab's AWS endpoint: its own loopback
 * address, whose port 22 reaches the lab's sshd only while one of the instance's security
 * groups lets the lab's caller in (checked at each connection, as on AWS). Without an
 * instance id: the lab's sshd itself, no security group in between.
 *
 * @example
 * const host = labHost(inject('lab'), { instanceId: 'i-0abc' })
 * await ssh.connect({ host: host.host, port: host.port, username: host.username, privateKey: host.privateKey })
 */
export function labHost(lab: Pick<LabInfo, 'ssh' | 'dir'>, target: LabTarget = {}): LabHost {
  const { ssh } = lab
  const key = {
    username: ssh.username,
    privateKey: ssh.privateKey,
    privateKeyPath: ssh.privateKeyPath,
    hostPublicKey: ssh.hostPublicKey,
    hostKeyFingerprint: ssh.hostKeyFingerprint,
  }
  if (!target.instanceId) return { host: ssh.host, port: ssh.port, ...key }
  const address = instanceAddress(lab, target.instanceId)
  return { host: address.host, port: address.ports[22], ...key }
}

/**
 * An instance's lab address and the ports that stand for its 22, 80 and 443.
 * @example
 * const { host, ports } = instanceAddress(lab, 'i-0abc')
 * await fetch(`http://${host}:${ports[80]}/`)
 */
export function instanceAddress(
  lab: Pick<LabInfo, 'dir'>,
  instanceId: string,
): { host: string; ports: Record<GatePort, number> } {
  let file: { ports: Record<GatePort, number>; instances: GateInstance[] }
  try {
    file = JSON.parse(readFileSync(join(lab.dir, 'instances.json'), 'utf8')) as typeof file
  } catch {
    file = { ports: { 22: 0, 80: 0, 443: 0 }, instances: [] }
  }
  const found = file.instances.find((i) => i.instanceId === instanceId)
  if (!found)
    throw new LabError(
      'aws',
      `instance ${instanceId} is not known to the lab's AWS layer: launch it through lab.aws.endpoint (not moto's own endpoint)`,
    )
  return { host: found.address, ports: file.ports }
}

/**
 * Environment variables that point a child process at this lab: the AWS SDK's endpoint,
 * credentials and region (the strict layer in front of moto), and `FERRY_LAB_STATE` for
 * `connectLab`.
 *
 * @example
 * spawn('node', ['deploy.mjs'], { env: { ...process.env, ...labEnv(lab) } })
 */
export function labEnv(lab: Pick<LabInfo, 'aws' | 'dir' | 'statePath'>): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: lab.aws.endpoint,
    AWS_ACCESS_KEY_ID: lab.aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: lab.aws.credentials.secretAccessKey,
    AWS_REGION: lab.aws.region,
    AWS_DEFAULT_REGION: lab.aws.region,
    // ferry's `me` (checkip.amazonaws.com) answered by the lab: the address it treats as yours.
    FERRY_CHECKIP_URL: `${lab.aws.endpoint}/_lab/checkip`,
    FERRY_LAB_DIR: lab.dir,
    FERRY_LAB_STATE: lab.statePath,
  }
}
