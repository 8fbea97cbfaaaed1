// Console output that carries the host keys, as cloud-init prints them at first boot between
// `-----BEGIN SSH HOST KEY KEYS-----` and `-----END SSH HOST KEY KEYS-----` (cloud-init's
// cc_keys_to_console), so the console pinning path runs for real. AWS: "Instance console output
// ... By default, the console output returns buffered information that was posted shortly
// after an instance transition state (start, stop, reboot, or terminate) ... you can retrieve
// the latest serial console output at any time" with Latest=true (GetConsoleOutput, EC2 API
// Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetConsoleOutput.html).
// So here the keys appear in the latest output soon after launch and in the buffered output
// only much later. moto's console has no keys at all.
import { readFileSync } from 'node:fs'
import { xmlValues } from '../respond'
import type { Rule } from '../rule'

/** When the host keys show, per instance: ms after launch. */
export interface ConsoleTiming {
  /** With Latest=true. */
  latestMs: number
  /** Without it (the buffered output). */
  bufferedMs: number
}

/**
 * The console-output rule: the lab sshd's real host keys, on the console's clock.
 * @example
 * const rule = consoleOutputRule({ hostKeyFile: 'ssh/ssh_host_ed25519_key.pub', now: Date.now })
 */
export function consoleOutputRule(o: { hostKeyFile: string; now: () => number }): Rule {
  const launched = new Map<string, number>()
  return {
    name: 'consoleOutput',
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetConsoleOutput.html',
    after({ request, settings }, response) {
      if (request.service !== 'ec2' || response.status !== 200) return undefined
      if (request.operation === 'RunInstances') {
        for (const id of xmlValues(response.body, 'instanceId')) launched.set(id, o.now())
        return undefined
      }
      if (request.operation !== 'GetConsoleOutput') return undefined
      const id = request.params.get('InstanceId') ?? ''
      const latest = request.params.get('Latest') === 'true'
      const age = o.now() - (launched.get(id) ?? 0)
      const shows = age >= (latest ? settings.consoleLatestMs : settings.consoleBufferedMs)
      const text = bootLog(id) + (shows ? hostKeyBlock(readFileSync(o.hostKeyFile, 'utf8')) : '')
      const output = Buffer.from(text).toString('base64')
      const body = response.body
        .toString('utf8')
        .replace(/<output>[^<]*<\/output>/, `<output>${output}</output>`)
      return { ...response, body: Buffer.from(body) }
    },
  }
}

function bootLog(id: string): string {
  return [
    `[    0.000000] Linux version 6.1.0 (ferry lab instance ${id})`,
    '[    1.234567] cloud-init[812]: Cloud-init v. 23.4 running init-local',
    '',
  ].join('\n')
}

function hostKeyBlock(publicKeys: string): string {
  const keys = publicKeys
    .trim()
    .split('\n')
    .map((line) => line.split(' ').slice(0, 2).join(' '))
  return [
    'ec2: #############################################################',
    'ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----',
    'ec2: -----END SSH HOST KEY FINGERPRINTS-----',
    'ec2: #############################################################',
    '-----BEGIN SSH HOST KEY KEYS-----',
    ...keys,
    '-----END SSH HOST KEY KEYS-----',
    '',
  ].join('\n')
}
