import { describe, expect, it } from 'vitest'
import { ValidationError } from '@ferry/core'
import { encodeUserData, webServerUserData } from './user-data.js'

describe('webServerUserData', () => {
  it('installs nginx and docker with dnf on Amazon Linux 2023', () => {
    expect(webServerUserData({ distro: 'al2023' })).toBe(
      [
        '#!/bin/bash',
        '# ferry: web server bootstrap (Amazon Linux 2023)',
        'set -euxo pipefail',
        'dnf install -y nginx docker',
        'systemctl enable --now nginx docker',
        '',
      ].join('\n'),
    )
  })

  it('installs nginx and docker.io with apt on Ubuntu', () => {
    expect(webServerUserData({ distro: 'ubuntu' })).toBe(
      [
        '#!/bin/bash',
        '# ferry: web server bootstrap (Ubuntu)',
        'set -euxo pipefail',
        'export DEBIAN_FRONTEND=noninteractive',
        'apt-get -o DPkg::Lock::Timeout=600 update -y',
        'apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends nginx docker.io',
        'systemctl enable --now nginx docker',
        '',
      ].join('\n'),
    )
  })

  it('installs only what is asked', () => {
    expect(webServerUserData({ distro: 'al2023', nginx: false })).toBe(
      '#!/bin/bash\n# ferry: web server bootstrap (Amazon Linux 2023)\nset -euxo pipefail\ndnf install -y docker\nsystemctl enable --now docker\n',
    )
    expect(webServerUserData({ distro: 'ubuntu', nginx: false, docker: false })).toBe(
      '#!/bin/bash\n# ferry: web server bootstrap (Ubuntu)\nset -euxo pipefail\n',
    )
  })
})

describe('encodeUserData', () => {
  it('base64-encodes, and refuses more than 16 KB', () => {
    expect(encodeUserData('#!/bin/bash\necho hi\n')).toBe('IyEvYmluL2Jhc2gKZWNobyBoaQo=')
    expect(() => encodeUserData('x'.repeat(16 * 1024 + 1))).toThrow(ValidationError)
  })
})
