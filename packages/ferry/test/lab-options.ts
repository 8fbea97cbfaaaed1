// The lab as ferry options (no vitest import, so child-process fixtures can use it too):
// AWS pointed at moto, every instance mapped to the lab's sshd with its host key pinned.
import { labHost, type LabInfo } from '@ferry/lab'
import { Secret, type AwsOptions, type ResolveHost } from '@ferry/core'

export const labAws = (info: LabInfo): AwsOptions => ({
  region: info.aws.region,
  endpoint: info.aws.endpoint,
  credentials: info.aws.credentials,
})

export const labResolveHost =
  (info: LabInfo): ResolveHost =>
  (server) => ({
    // The instance's own lab address: its port 22 answers only while its security group allows you.
    host: labHost(info, { instanceId: server.instanceId }).host,
    port: labHost(info, { instanceId: server.instanceId }).port,
    username: info.ssh.username,
    privateKey: new Secret(info.ssh.privateKey),
    hostKey: { fingerprint: info.ssh.hostKeyFingerprint },
  })
