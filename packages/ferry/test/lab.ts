// The lab of this test run (from the global setup), and ferry options pointing at it.
import { inject } from 'vitest'
import '@ferry/lab/vitest'
import type { LabInfo } from '@ferry/lab'
import { labAws as awsOf, labResolveHost as resolverOf } from './lab-options.js'

/** The lab the global setup started. A missing lab fails the test. */
export function lab(): LabInfo {
  const provided = inject('lab')
  if (!provided)
    throw new Error('No lab: run the tests through vitest with the ferry global setup.')
  return provided
}

export const labAws = (info = lab()) => awsOf(info)
export const labResolveHost = (info = lab()) => resolverOf(info)
