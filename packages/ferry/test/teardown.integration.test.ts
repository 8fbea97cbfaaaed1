// A region that refuses (OptInRequired, as AWS answers for a region the account has not opted
// into) must not stop a teardown: every other region is still cleaned, then the refusals are
// reported. The refusing region is a real HTTP endpoint in front of moto that answers as EC2 does.
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2'
import { AwsError, ferryTags } from '@ferry/core'
import { uniqueName } from '@ferry/lab'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { teardown, TeardownError } from '../src/index.js'
import { labAws } from './lab.js'

const REFUSING = 'ap-southeast-7'
let proxy: Server
let endpoint = ''

// Forwards to moto, except calls signed for REFUSING: EC2's OptInRequired error for those.
beforeAll(async () => {
  const moto = new URL(labAws().endpoint!)
  proxy = createServer((req, res) => {
    if (String(req.headers.authorization).includes(`/${REFUSING}/ec2/`)) {
      req.resume()
      res.writeHead(401, { 'content-type': 'text/xml' })
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>OptInRequired</Code><Message>You are not subscribed to this service.</Message></Error></Errors><RequestID>r-1</RequestID></Response>',
      )
      return
    }
    const upstream = request(
      {
        host: moto.hostname,
        port: moto.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => (res.writeHead(answer.statusCode ?? 502, answer.headers), answer.pipe(res)),
    )
    req.pipe(upstream)
  })
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done))
  endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((done) => proxy.close(() => done())))

test('a region that refuses does not stop the others; what could not be removed is reported', async () => {
  const runId = uniqueName('refuse')
  const aws = labAws()
  const ec2 = new EC2Client({
    region: aws.region,
    endpoint: aws.endpoint,
    credentials: aws.credentials,
  })
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: runId,
      Description: 'made by a run',
      TagSpecifications: [{ ResourceType: 'security-group', Tags: ferryTags({ runId }) }],
    }),
  )
  // The refusing region comes first: before, its error ended the teardown there.
  const error = await teardown(runId, {
    aws: { ...aws, endpoint },
    regions: [REFUSING],
    journal: false,
    globalAccelerator: false,
  }).catch((e: unknown) => e)

  expect(TeardownError.is(error)).toBe(true)
  const { failures, report } = error as TeardownError
  expect(failures.map((f) => [f.region, f.part])).toEqual([
    [REFUSING, 'images'],
    [REFUSING, 'ec2'],
  ])
  expect(failures.every((f) => AwsError.is(f.error) && f.error.awsCode === 'OptInRequired')).toBe(
    true,
  )
  expect((error as Error).message).toContain(`${REFUSING} (images, ec2): `)
  expect(report.ec2[aws.region!]!.securityGroupIds).toEqual([GroupId])
  const left = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:ferry:run', Values: [runId] }] }),
  )
  expect(left.SecurityGroups).toEqual([])
})
