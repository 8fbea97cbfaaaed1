// A pipeline's preflight runs every step against a placeholder context (nothing exists yet):
// the image steps must then check their permissions in the run's region, not fail on
// `{{server.region}}`.
import { pipeline, type ServerRef } from '@ferry/core'
import { describe, expect, test } from 'vitest'
import { copyAmiStep, createAmiStep, shareAmiStep, snapshotVolumeStep } from '../src/index.js'
import { labAws } from './lab.js'

describe('image steps in a pipeline preflight', () => {
  test('server → snapshot → AMI → copy → share: every DryRun is sent and allowed', async () => {
    const report = await pipeline({ aws: labAws(), journal: false })
      // Stands for launchWebServer: its output exists only as placeholders during preflight.
      .step('launch', () => ({ server: {} as ServerRef & { region: string } }))
      .use(snapshotVolumeStep())
      .use(createAmiStep())
      .use(copyAmiStep({ regions: ['eu-west-1'] }))
      .use(shareAmiStep({ accountIds: ['444455556666'], includeCopies: true }))
      .preflight()
    expect(report.steps.map(({ step, ok, checked }) => [step, ok, checked])).toEqual([
      ['launch', true, false],
      ['snapshotVolume', true, true],
      ['createAmi', true, true],
      ['copyAmi', true, true],
      ['shareAmi', true, true],
    ])
    expect(report.ok).toBe(true)
  })
})
