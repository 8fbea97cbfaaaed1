import { describe, expect, it } from 'vitest'
import { valueFlagsFromHelp } from './podman-flags'

const help = `Flags:
      --add-host strings                         Add a custom host-to-IP mapping (host:ip) (default [])
  -d, --detach                                   Run container in background and print container ID
  -e, --env stringArray                          Set environment variables in container
      --blkio-weight-device DEVICE_NAME:WEIGHT   Block IO weight
      --init                                     Run an init binary inside the container
      --pull string[="missing"]                  Pull image policy
  -p, --publish strings                          Publish a container's port
`

describe('valueFlagsFromHelp', () => {
  it('lists the flags that take a separate value, short and long', () => {
    expect(valueFlagsFromHelp(help)).toEqual([
      '--add-host',
      '-e',
      '--env',
      '--blkio-weight-device',
      '-p',
      '--publish',
    ])
  })
})
