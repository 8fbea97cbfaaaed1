// After a deploy, tell the CDN: release v2 of a container replaces v1 on the origin (the old one
// keeps serving until the new one is healthy), then the changed paths are invalidated in
// CloudFront, found by the distribution's domain name. The release id makes the invalidation
// idempotent: running the same release's step again reuses it instead of paying twice.
//
//   FERRY_LAB_STATE=.lab/demo/state.json pnpm exec tsx --conditions=@ferry/source examples/invalidate-after-deploy.ts
//
// Without FERRY_LAB_STATE it starts a lab of its own and stops it at the end.
import { CloudFrontClient } from '@aws-sdk/client-cloudfront'
import { uniqueName } from '@ferry/lab'
import { awsClientConfig, invalidate, runContainer, stopContainer } from 'ferry'
import { createDistribution, deleteDistribution } from './support/cloudfront.js'
import { hostPort, labAws, labSshHost, withLab } from './support/lab.js'

await withLab(async (lab) => {
  const aws = labAws(lab)
  const host = labSshHost(lab) // the origin server; on AWS: server.host from launchWebServer
  const name = uniqueName('site')
  const { port } = await hostPort(8070)
  // ferry invalidates distributions; it does not create them: this one stands for yours.
  const cloudFront = new CloudFrontClient(awsClientConfig(aws))
  const distribution = await createDistribution(cloudFront, {
    origin: `${name}.lab.test`,
    runId: name,
  })
  const docker = { docker: lab.docker.bin }
  try {
    for (const release of ['v1', 'v2']) {
      const c = await runContainer(
        host,
        {
          name,
          image: lab.docker.images.httpd,
          ports: { [port]: 80 },
          env: { MESSAGE: `release ${release}` },
        },
        docker,
      )
      console.log(
        `deployed ${release}: container ${c.id.slice(0, 12)}${c.replaced ? ` (replaced ${c.replaced.slice(0, 12)})` : ''}`,
      )
    }
    const origin = await (await fetch(`http://127.0.0.1:${port}/`)).text()
    console.log(`the origin answers "${origin.trim()}"; the CDN may still have v1 cached`)

    const input = {
      distribution: distribution.domainName, // or its id, or one of its aliases
      paths: ['/index.html', '/assets/*', '/assets/app.js'], // app.js is under /assets/*: dropped
      deployId: 'v2', // the release: a new one invalidates again, the same one does not
      wait: true,
    }
    const result = await invalidate(input, { aws })
    const batch = result.batches[0]!
    console.log(
      `invalidation ${batch.id} on ${result.distributionId}: ${batch.status}, paths ${result.paths.join(' ')}`,
    )
    console.log(`charged paths: ${result.chargedPaths} (CloudFront's first 1,000 a month are free)`)

    const again = await invalidate(input, { aws })
    console.log(
      `same release again: reused=${again.batches[0]!.reused}, charged ${again.chargedPaths}`,
    )
  } finally {
    await stopContainer(host, name, { ...docker, remove: true })
    await host.close()
    await deleteDistribution(cloudFront, distribution.id)
    cloudFront.destroy()
  }
})
