// The lab's AWS endpoint (moto) for these tests. The lab's global setup provides it through
// `inject('lab')`; FERRY_MOTO_ENDPOINT points at a moto you started yourself. Neither: the
// test fails (a missing lab is never a silent skip).
import type { AwsOptions } from '@ferry/core'
import { inject } from 'vitest'

interface LabAwsLike {
  endpoint: string
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string }
}

/** AWS options that reach the lab's moto. */
export function labAws(): AwsOptions & { endpoint: string; region: string } {
  const lab = (inject as (key: string) => { aws?: LabAwsLike } | undefined)('lab')
  if (lab?.aws) return { ...lab.aws, maxAttempts: 2 }
  const endpoint = process.env.FERRY_MOTO_ENDPOINT
  if (endpoint)
    return {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 2,
    }
  throw new Error('No lab: run the tests through vitest with the ferry global setup.')
}
