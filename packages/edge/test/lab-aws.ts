// The lab's AWS endpoint (moto) for these tests, as the lab's global setup provides it. Without
// a lab the test fails: a missing lab is never a silent skip.
import type { AwsOptions } from '@ferry/core'
import { labInfo } from '@ferry/lab/vitest'

/** AWS options that reach the lab's moto (CloudFront and EC2). */
export function labAws(): AwsOptions & { endpoint: string; region: string } {
  const { aws } = labInfo()
  return {
    endpoint: aws.endpoint,
    region: aws.region,
    credentials: aws.credentials,
    maxAttempts: 2,
  }
}
