// The whole seed flow end to end against the lab, through the same code as examples/full-stack.ts:
// every outcome is read back with clients of the test's own (EC2 per region, CloudFront, Global
// Accelerator) or over real HTTPS, then teardown must leave nothing, anywhere.
import {
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2'
import { CloudFrontClient, GetInvalidationCommand } from '@aws-sdk/client-cloudfront'
import {
  GlobalAcceleratorClient,
  ListEndpointGroupsCommand,
  ListListenersCommand,
} from '@aws-sdk/client-global-accelerator'
import { freePorts, uniqueName } from '@ferry/lab'
import { afterAll, expect, test } from 'vitest'
import { awsClientConfig, type FerryEvent } from '../src/index.js'
import { deployFullStack, removeFullStack, type FullStack } from '../../../examples/full-stack.js'
import { httpsGet } from '../../../examples/support/https.js'
import { lab, labAws } from './lab.js'

const info = lab()
const aws = labAws(info)
// Read back on moto itself: an independent observer, past the strict layer.
const ec2 = (region: string) =>
  new EC2Client(awsClientConfig({ ...aws, endpoint: info.aws.motoEndpoint }, region))
let stack: FullStack | undefined
afterAll(async () => {
  if (stack) await removeFullStack(stack) // only when the test failed before its own teardown
})

test('launch → … → accelerator: HTTPS by host name with the pebble chain, AMI copied and shared, invalidation and accelerator read back; teardown leaves nothing', async () => {
  const runId = uniqueName('e2e')
  const names = { api: `api-${runId}.lab.test`, www: `www-${runId}.lab.test` }
  const [apiPort, wwwPort] = await freePorts(2)
  const events: FerryEvent[] = []
  stack = await deployFullStack(info, {
    runId,
    names,
    ports: { api: apiPort!, www: wwwPort! },
    onEvent: (e) => events.push(e),
  })
  const { context } = stack
  expect(events.filter((e) => e.type === 'step:done').map((e) => e.step)).toEqual([
    'launchWebServer',
    'openPorts',
    `runContainer:${stack.containers.api}`,
    `runContainer:${stack.containers.www}`,
    'configureReverseProxy',
    'issueCertificate',
    'snapshotVolume',
    'createAmi',
    'copyAmi',
    'shareAmi',
    'invalidate',
    'createAccelerator',
  ])

  // HTTPS through nginx reaches each backend by its name, verified against pebble's root only.
  for (const [key, name] of Object.entries(names) as ['api' | 'www', string][]) {
    expect(stack.answers[key].status).toBe(200)
    expect(stack.answers[key].body.trim()).toBe(`hello from ${key}`)
    expect(stack.answers[key].certificate.subjectAltName).toContain(`DNS:${name}`)
    expect(stack.answers[key].certificate.issuer).toMatch(/^Pebble Intermediate CA/)
    const again = await httpsGet({ name, port: info.nginx.httpsPort, ca: info.acme.rootCa })
    expect(again.body.trim()).toBe(`hello from ${key}`)
  }
  // A root that did not sign the chain is refused: the answers above were pebble's chain.
  await expect(
    httpsGet({ name: names.api, port: info.nginx.httpsPort, ca: info.acme.listenerCa }),
  ).rejects.toThrow(/certificate/i)
  expect(new Date(context.certificate.notAfter).getTime()).toBeGreaterThan(Date.now())

  // The AMI and its copy, read back in each region with clients of our own.
  const copyId = context.amiCopies['us-west-1']!
  const [copy] = (await ec2('us-west-1').send(new DescribeImagesCommand({ ImageIds: [copyId] })))
    .Images!
  expect(copy).toMatchObject({ ImageId: copyId, State: 'available' })
  expect(copy!.Tags).toContainEqual({ Key: 'ferry:run', Value: runId })
  for (const [region, imageId] of [
    ['us-east-1', context.ami.imageId],
    ['us-west-1', copyId],
  ] as const) {
    const attr = await ec2(region).send(
      new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }),
    )
    expect(attr.LaunchPermissions).toEqual([{ UserId: '111122223333' }])
  }

  // The invalidation, read back with exactly the paths asked for.
  const cf = new CloudFrontClient(awsClientConfig(aws))
  const { Invalidation } = await cf.send(
    new GetInvalidationCommand({
      DistributionId: stack.distribution.id,
      Id: context.invalidation.ids[0],
    }),
  )
  expect(Invalidation!.InvalidationBatch!.Paths).toEqual({
    Quantity: 2,
    Items: ['/assets/*', '/index.html'],
  })

  // The accelerator: DEPLOYED, one TCP listener on 80, routing to the instance in its region.
  expect(stack.acceleratorStatus).toBe('DEPLOYED')
  const ga = new GlobalAcceleratorClient({
    endpoint: info.aws.endpoint,
    region: 'us-west-2',
    credentials: aws.credentials,
  })
  const { Listeners } = await ga.send(
    new ListListenersCommand({ AcceleratorArn: context.accelerator.arn }),
  )
  expect(Listeners).toEqual([
    expect.objectContaining({ Protocol: 'TCP', PortRanges: [{ FromPort: 80, ToPort: 80 }] }),
  ])
  const { EndpointGroups } = await ga.send(
    new ListEndpointGroupsCommand({ ListenerArn: Listeners![0]!.ListenerArn }),
  )
  expect(EndpointGroups).toEqual([
    expect.objectContaining({
      EndpointGroupRegion: 'us-east-1',
      EndpointDescriptions: [expect.objectContaining({ EndpointId: context.server.instanceId })],
    }),
  ])
  expect(stack.created.regions['us-east-1']!.instances).toEqual([context.server.instanceId])
  expect(stack.created.accelerators).toEqual([context.accelerator.arn])

  // Teardown: nothing of the run in any region, no accelerator, nothing on the instance.
  const removed = await removeFullStack(stack)
  const gaState = stack.ga
  stack = undefined
  expect(removed.left.total).toBe(0)
  for (const region of ['us-east-1', 'us-west-1'])
    expect(removed.left.regions[region]).toEqual({
      instances: [],
      securityGroups: [],
      keyPairs: [],
      images: [],
      snapshots: [],
      volumes: [],
    })
  expect(removed.hostLeft).toEqual([])
  const accelerators = (await gaState.state()).accelerators
  expect(accelerators.filter((a) => a.arn === context.accelerator.arn)).toEqual([])
  expect(
    (await ec2('us-west-1').send(new DescribeImagesCommand({ ImageIds: [copyId] }))).Images,
  ).toEqual([])
  const reservations = await ec2('us-east-1').send(
    new DescribeInstancesCommand({ InstanceIds: [context.server.instanceId] }),
  )
  expect(reservations.Reservations![0]!.Instances![0]!.State!.Name).toBe('terminated')
}, 240_000)
