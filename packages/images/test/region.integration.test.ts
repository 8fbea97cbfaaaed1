// The region comes from where the AWS SDK (and every other ferry package) finds it when the
// call and the options name none: AWS_REGION, else the profile's `region`.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreateVolumeCommand, DescribeSnapshotsCommand } from '@aws-sdk/client-ec2'
import { ValidationError } from '@ferry/core'
import { afterEach, describe, expect, test } from 'vitest'
import { snapshotVolume } from '../src/index.js'
import { labAws, reader } from './lab.js'

const { endpoint, credentials } = labAws()
const NAMES = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_CONFIG_FILE']
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]))
const setEnv = (values: Record<string, string | undefined>) => {
  for (const name of NAMES) {
    const value = name in values ? values[name] : undefined
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
}
afterEach(() => setEnv(saved))

/** A volume in `region`, snapshotted with options that name no region. */
async function snapshotIn(region: string) {
  const volume = await reader(region).send(
    new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 1 }),
  )
  const snap = await snapshotVolume(
    { volumeId: volume.VolumeId! },
    { aws: { endpoint, credentials } },
  )
  const back = await reader(region).send(
    new DescribeSnapshotsCommand({ SnapshotIds: [snap.snapshotId] }),
  )
  expect(back.Snapshots?.[0]?.VolumeId).toBe(volume.VolumeId)
  return snap
}

describe('the region when none is given', () => {
  test('AWS_REGION', async () => {
    setEnv({ AWS_REGION: 'eu-west-1' })
    expect((await snapshotIn('eu-west-1')).region).toBe('eu-west-1')
  })

  test("the profile's region (AWS_PROFILE in AWS_CONFIG_FILE)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ferry-images-')), 'config')
    writeFileSync(file, '[profile ferry-images-test]\nregion = ap-south-1\n')
    setEnv({ AWS_CONFIG_FILE: file, AWS_PROFILE: 'ferry-images-test' })
    expect((await snapshotIn('ap-south-1')).region).toBe('ap-south-1')
  })

  test('none anywhere: a ValidationError on region, before any call', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ferry-images-')), 'config')
    writeFileSync(file, '[default]\n')
    setEnv({ AWS_CONFIG_FILE: file })
    const error = await snapshotVolume(
      { volumeId: 'vol-0123456789abcdef0' },
      { aws: { endpoint, credentials } },
    ).catch((e: unknown) => e)
    expect(ValidationError.is(error) && error.field).toBe('region')
  })
})
