// One Global Accelerator in front of servers in two regions: two static anycast IPs, a TCP
// listener on 80 and 443, one endpoint group per region (eu-west-1 dialled to 50% of its traffic),
// and the wait until DEPLOYED. The Global Accelerator API lives only in us-west-2, whatever
// regions the servers are in. Deleting it releases the static IPs for good; ferry says so.
//
//   FERRY_LAB_STATE=.lab/demo/state.json pnpm exec tsx --conditions=@ferry/source examples/accelerator-two-regions.ts
//
// Without FERRY_LAB_STATE it starts a lab of its own and stops it at the end. moto has no
// Global Accelerator: the lab's strict AWS layer serves it on the wire at the same endpoint, with
// AWS's rules (IN_PROGRESS after every change, us-west-2 only), so ferry reaches it as on AWS.
import { createLabGlobalAccelerator } from '@ferry/lab'
import { createAccelerator, deleteAccelerator, launchWebServer, newRunId, teardown } from 'ferry'
import { labAws, labLaunch, labResolveHost, scratchDir, withLab } from './support/lab.js'
import { table } from './support/table.js'

await withLab(async (lab) => {
  const aws = labAws(lab)
  const runId = newRunId()
  const scratch = scratchDir('ga')
  // Only to show what the lab's Global Accelerator saw; ferry builds its own client from `aws`.
  const ga = await createLabGlobalAccelerator(lab.aws)
  const from = (await ga.calls()).length
  const regions = ['us-east-1', 'eu-west-1']
  try {
    const endpoints = []
    for (const region of regions) {
      const { server } = await launchWebServer(labLaunch(lab, scratch.dir, `web-${region}`), {
        aws,
        region,
        runId,
        resolveHost: labResolveHost(lab),
        waiterMinDelay: 200,
      })
      endpoints.push({ instanceId: server.instanceId, region })
    }

    const acc = await createAccelerator(
      {
        name: 'web-two-regions',
        listeners: [{ protocol: 'TCP', ports: [80, 443] }],
        endpoints,
        endpointGroups: { 'eu-west-1': { trafficDialPercentage: 50 } },
      },
      { aws, runId }, // runId: tags it and makes re-runs adopt it
    )
    console.log(
      `accelerator ${acc.dnsName} is ${acc.status}; static IPs ${acc.ipAddresses.join(', ')}`,
    )
    console.log(
      table(
        ['endpoint group', 'endpoints (weight)'],
        acc.endpointGroups.map((g) => [
          g.region,
          g.endpoints.map((e) => `${e.instanceId} (${e.weight})`).join(', '),
        ]),
      ),
    )
    const deleted = await deleteAccelerator(acc.arn, { aws })
    console.log(`deleted; released for good: ${deleted.releasedIpAddresses.join(', ')}`)
    const calls = (await ga.calls()).slice(from)
    console.log(`every call went to ${[...new Set(calls.map((c) => c.region))].join(', ')}`)
    const refused = calls.filter((c) => c.error).map((c) => `${c.operation}: ${c.error}`)
    console.log(`refused by Global Accelerator: ${refused.join(', ') || 'nothing'}`)
  } finally {
    await teardown(runId, { aws, regions, journal: false })
    ga.close()
    scratch.remove()
  }
})
