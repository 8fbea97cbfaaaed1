// A golden image: bake a configured server into an AMI, copy it to two more regions (in parallel,
// each copy tagged with its source), share every copy with another account, then remove it all
// by run id — AMIs are regional, and so is teardown: it searches every region the run touched.
//
//   FERRY_LAB_STATE=.lab/demo/state.json pnpm exec tsx --conditions=@ferry/source examples/golden-ami-regions.ts
//
// Without FERRY_LAB_STATE it starts a lab of its own and stops it at the end.
import { copyAmi, createAmi, inventory, launchWebServer, newRunId, shareAmi, teardown } from 'ferry'
import { labAws, labLaunch, labResolveHost, scratchDir, withLab } from './support/lab.js'
import { table } from './support/table.js'

const regions = ['us-west-1', 'eu-west-1']
const account = '111122223333' // the account that may launch the image

await withLab(async (lab) => {
  const aws = labAws(lab) // the home region is us-east-1
  const runId = newRunId()
  const scratch = scratchDir('ami')
  const all = { aws, regions: [aws.region!, ...regions], journal: false as const }
  try {
    const { server } = await launchWebServer(labLaunch(lab, scratch.dir, 'golden'), {
      aws,
      runId,
      resolveHost: labResolveHost(lab),
      waiterMinDelay: 200,
    })
    // From the instance: AWS reboots it for a consistent file system unless noReboot is set.
    const ami = await createAmi(
      { instanceId: server.instanceId, name: `golden-${runId}` },
      { aws, runId },
    )
    const copies = await copyAmi({ imageId: ami.imageId, regions }, { aws, runId })

    const images: [string, string][] = [
      [ami.region, ami.imageId],
      ...Object.entries(copies.imageIds),
    ]
    const rows: string[][] = []
    for (const [region, imageId] of images) {
      const shared = await shareAmi({ imageId, region, accountIds: [account] }, { aws })
      rows.push([region, imageId, shared.accountIds.join(', '), shared.snapshotIds.join(' ')])
    }
    console.log(table(['region', 'AMI', 'shared with', 'snapshots (createVolumePermission)'], rows))
    for (const [region, imageId] of images) console.log(`AMI in ${region}: ${imageId}`)
  } finally {
    // No journal here (journal: false), so name the regions to search.
    await teardown(runId, { ...all, globalAccelerator: false })
    scratch.remove()
  }
  const left = await inventory(runId, { ...all, globalAccelerator: false })
  console.log(`after teardown, in ${all.regions.join(', ')}: ${left.total} resources left`)
  if (left.total > 0) process.exitCode = 1
})
