import { describe, expect, it } from 'vitest'
import { parseConsoleHostKeys } from './host-keys.js'

const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4'
// As `ssh-keygen -lf` prints it for this key.
const ED_FP = 'SHA256:lbmsoA0yIEcEiVDRnMWuzm+nV+3ZEEpVIURqFoeSspg'

describe('parseConsoleHostKeys', () => {
  it('reads the key block cloud-init prints, ignoring prefixes, comments and CRs', () => {
    const text = [
      '[   10.1] cloud-init[1234]: Cloud-init v. 23.4 running',
      'ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----',
      `ec2: 256 ${ED_FP} root@ip-10-0-0-1 (ED25519)`,
      'ec2: -----END SSH HOST KEY FINGERPRINTS-----',
      '-----BEGIN SSH HOST KEY KEYS-----\r',
      `ssh-ed25519 ${ED} root@ip-10-0-0-1\r`,
      'ecdsa-sha2-nistp256 garbled!!\r',
      '-----END SSH HOST KEY KEYS-----\r',
    ].join('\n')
    expect(parseConsoleHostKeys(text)).toEqual([
      { type: 'ssh-ed25519', publicKey: `ssh-ed25519 ${ED}`, fingerprint: ED_FP },
    ])
  })

  it('takes the last complete block (after a reboot) and ignores an unfinished one', () => {
    const block = (key: string) =>
      ['-----BEGIN SSH HOST KEY KEYS-----', key, '-----END SSH HOST KEY KEYS-----'].join('\n')
    const old = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGEV6Lhrqjnil2C2u7hOJHq6VQwcC/T5nIs4BDbsCkgI'
    const text = `${block(old)}\n${block(`ssh-ed25519 ${ED}`)}\n-----BEGIN SSH HOST KEY KEYS-----\n${old}`
    expect(parseConsoleHostKeys(text).map((k) => k.fingerprint)).toEqual([ED_FP])
  })

  it('finds nothing in console output without the block (as moto returns)', () => {
    expect(
      parseConsoleHostKeys('Linux version 2.6.16-xenU\nBIOS-provided physical RAM map:\n'),
    ).toEqual([])
  })
})
