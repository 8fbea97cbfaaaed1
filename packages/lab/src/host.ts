import type { LabHost, LabInfo, LabTarget } from './types'

/**
 * Where to SSH for an instance launched in the lab's moto: every instance, whatever its id or
 * address, is the lab's sshd. ferry's pipeline calls this as its host-resolution hook.
 *
 * @example
 * const host = labHost(inject('lab'), { instanceId: 'i-0abc' })
 * await ssh.connect({ host: host.host, port: host.port, username: host.username, privateKey: host.privateKey })
 */
export function labHost(lab: Pick<LabInfo, 'ssh'>, _target: LabTarget = {}): LabHost {
  const { ssh } = lab
  return {
    host: ssh.host,
    port: ssh.port,
    username: ssh.username,
    privateKey: ssh.privateKey,
    privateKeyPath: ssh.privateKeyPath,
    hostPublicKey: ssh.hostPublicKey,
    hostKeyFingerprint: ssh.hostKeyFingerprint,
  }
}

/**
 * Environment variables that point a child process at this lab: the AWS SDK's endpoint,
 * credentials and region (moto), and `FERRY_LAB_STATE` for `connectLab`.
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
    FERRY_LAB_DIR: lab.dir,
    FERRY_LAB_STATE: lab.statePath,
  }
}
