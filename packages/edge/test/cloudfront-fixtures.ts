// Distributions made for a test on the lab's moto, with unique names so test files can run in
// parallel, and a separate client for reading results back.
import { randomUUID } from 'node:crypto'
import {
  CloudFrontClient,
  CreateDistributionCommand,
  GetInvalidationCommand,
  ListInvalidationsCommand,
} from '@aws-sdk/client-cloudfront'
import { awsClientConfig } from '@ferry/core'
import { labAws } from './lab-aws.js'

/** A CloudFront client of its own, for setting up and reading back. */
export function adminCloudFront(): CloudFrontClient {
  return new CloudFrontClient(awsClientConfig(labAws()))
}

/** A unique alias such as `www-1a2b3c4d.edge-test.example`. */
export const uniqueAlias = (prefix = 'www') =>
  `${prefix}-${randomUUID().slice(0, 8)}.edge-test.example`

/** Creates a minimal distribution with the given aliases; returns its id and domain name. */
export async function createDistribution(cf: CloudFrontClient, aliases: string[] = []) {
  const out = await cf.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: `edge-test-${randomUUID()}`,
        Comment: 'ferry edge test',
        Enabled: true,
        Aliases: { Quantity: aliases.length, Items: aliases },
        Origins: {
          Quantity: 1,
          Items: [
            {
              Id: 'origin',
              DomainName: 'origin.edge-test.example',
              CustomOriginConfig: {
                HTTPPort: 80,
                HTTPSPort: 443,
                OriginProtocolPolicy: 'https-only',
              },
            },
          ],
        },
        DefaultCacheBehavior: {
          TargetOriginId: 'origin',
          ViewerProtocolPolicy: 'redirect-to-https',
          CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        },
      },
    }),
  )
  return { id: out.Distribution!.Id!, domainName: out.Distribution!.DomainName! }
}

/** Every invalidation of a distribution, read back with GetInvalidation. */
export async function readInvalidations(cf: CloudFrontClient, distributionId: string) {
  const list = await cf.send(
    new ListInvalidationsCommand({ DistributionId: distributionId, MaxItems: 1000 }),
  )
  return Promise.all(
    (list.InvalidationList?.Items ?? []).map(async (s) => {
      const out = await cf.send(
        new GetInvalidationCommand({ DistributionId: distributionId, Id: s.Id }),
      )
      return {
        id: out.Invalidation!.Id!,
        callerReference: out.Invalidation!.InvalidationBatch!.CallerReference!,
        paths: out.Invalidation!.InvalidationBatch!.Paths!.Items ?? [],
      }
    }),
  )
}
