import type { LabInfo } from './types'

/**
 * One line per component saying it is up, where, and its pid, e.g.
 * `moto up on 127.0.0.1:41234 (pid 4711)`: what the global setup and `ferry-lab up` print.
 *
 * @example
 * for (const line of describeLab(lab)) console.log(`[lab] ${line}`)
 */
export function describeLab(lab: LabInfo): string[] {
  const pid = (component: string) => {
    const found = lab.processes.find((p) => p.component === component)?.pid ?? '?'
    const ms = lab.timings[component]
    return ms === undefined ? `${found}` : `${found}, ready in ${(ms / 1000).toFixed(1)} s`
  }
  return [
    `moto up on ${lab.aws.motoEndpoint.replace('http://', '')} (pid ${pid('moto')}), behind the strict AWS layer on ${lab.aws.endpoint.replace('http://', '')} (pid ${pid('aws')}; you are ${lab.aws.callerIp})`,
    `sshd up on ${lab.ssh.host}:${lab.ssh.port} (pid ${pid('sshd')}) as ${lab.ssh.username}, host key ${lab.ssh.hostKeyFingerprint}`,
    `nginx up on 127.0.0.1:${lab.nginx.httpPort} (pid ${pid('nginx')}), prefix ${lab.nginx.prefix}`,
    `pebble up on ${lab.acme.directoryUrl} (pid ${pid('pebble')}; challtestsrv pid ${lab.processes.find((p) => p.component === 'challtestsrv')?.pid ?? '?'})`,
    `podman ready: ${lab.docker.bin}, image ${lab.docker.images.httpd} (${((lab.timings.podman ?? 0) / 1000).toFixed(1)} s)`,
  ]
}
