// A CloudFront distribution for the examples to invalidate (ferry invalidates distributions, it
// does not create them), made in the lab's moto and removed again afterwards.
import {
  CreateDistributionCommand,
  DeleteDistributionCommand,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
  type CloudFrontClient,
} from '@aws-sdk/client-cloudfront'

/**
 * Creates a minimal distribution in front of `origin`; returns its id and domain name.
 * @example
 * const { id, domainName } = await createDistribution(cloudFront, { origin: 'www.lab.test', runId })
 */
export async function createDistribution(
  cf: CloudFrontClient,
  o: { origin: string; runId: string },
): Promise<{ id: string; domainName: string }> {
  const out = await cf.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: `ferry-example-${o.runId}`,
        Comment: `ferry example ${o.runId}`,
        Enabled: true,
        Origins: {
          Quantity: 1,
          Items: [
            {
              Id: 'web',
              DomainName: o.origin,
              CustomOriginConfig: {
                HTTPPort: 80,
                HTTPSPort: 443,
                OriginProtocolPolicy: 'https-only',
              },
            },
          ],
        },
        DefaultCacheBehavior: {
          TargetOriginId: 'web',
          ViewerProtocolPolicy: 'redirect-to-https',
          CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', // AWS's managed CachingOptimized
        },
      },
    }),
  )
  return { id: out.Distribution!.Id!, domainName: out.Distribution!.DomainName! }
}

/**
 * Disables, then deletes a distribution (CloudFront deletes only disabled ones, by ETag).
 * @example
 * await deleteDistribution(cloudFront, id)
 */
export async function deleteDistribution(cf: CloudFrontClient, id: string): Promise<void> {
  const current = await cf.send(new GetDistributionConfigCommand({ Id: id }))
  const disabled = await cf.send(
    new UpdateDistributionCommand({
      Id: id,
      IfMatch: current.ETag,
      DistributionConfig: { ...current.DistributionConfig!, Enabled: false },
    }),
  )
  await cf.send(new DeleteDistributionCommand({ Id: id, IfMatch: disabled.ETag }))
}
