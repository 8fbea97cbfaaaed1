// The first-boot script of a web server: nginx and docker from the distribution's own packages,
// both enabled now and at boot. Pure text, so tests pin it exactly.
import { ValidationError } from '@ferry/core'
import type { Distro } from './ami.js'

/** What the bootstrap installs. Both default to true. */
export interface UserDataOptions {
  distro: Distro
  nginx?: boolean
  docker?: boolean
}

/**
 * EC2 refuses user data above 16 KB (before base64).
 * @example
 * Buffer.byteLength(script) <= MAX_USER_DATA_BYTES
 */
export const MAX_USER_DATA_BYTES = 16 * 1024

/**
 * The bootstrap script for a distribution: dnf on Amazon Linux 2023, apt on Ubuntu.
 * @example
 * webServerUserData({ distro: 'al2023' }) // '#!/bin/bash\n…dnf install -y nginx docker…'
 */
export function webServerUserData(options: UserDataOptions): string {
  const packages = packageNames(options)
  const services = [
    options.nginx !== false && 'nginx',
    options.docker !== false && 'docker',
  ].filter((s): s is string => typeof s === 'string')
  const lines = [
    '#!/bin/bash',
    `# ferry: web server bootstrap (${options.distro === 'al2023' ? 'Amazon Linux 2023' : 'Ubuntu'})`,
    'set -euxo pipefail',
  ]
  if (packages.length > 0) {
    if (options.distro === 'al2023') lines.push(`dnf install -y ${packages.join(' ')}`)
    else
      lines.push(
        'export DEBIAN_FRONTEND=noninteractive',
        // At first boot unattended-upgrades holds the dpkg lock: wait for it instead of failing.
        'apt-get -o DPkg::Lock::Timeout=600 update -y',
        `apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends ${packages.join(' ')}`,
      )
    lines.push(`systemctl enable --now ${services.join(' ')}`)
  }
  return `${lines.join('\n')}\n`
}

/**
 * User data as RunInstances takes it: base64, after checking EC2's size limit.
 * @example
 * encodeUserData('#!/bin/bash\necho hi\n') // 'IyEvYmluL2Jhc2gKZWNobyBoaQo='
 */
export function encodeUserData(script: string): string {
  const bytes = Buffer.from(script, 'utf8')
  if (bytes.length > MAX_USER_DATA_BYTES)
    throw new ValidationError({
      field: 'userData',
      value: `${bytes.length} bytes`,
      allowed: `at most ${MAX_USER_DATA_BYTES} bytes`,
    })
  return bytes.toString('base64')
}

function packageNames(options: UserDataOptions): string[] {
  const names: string[] = []
  if (options.nginx !== false) names.push('nginx')
  if (options.docker !== false) names.push(options.distro === 'al2023' ? 'docker' : 'docker.io')
  return names
}
