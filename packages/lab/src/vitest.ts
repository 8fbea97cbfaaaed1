import { inject } from 'vitest'
import type { LabInfo } from './types'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The lab the global setup started (`packages/lab/test/global-setup.ts`). */
    lab: LabInfo
  }
}

/**
 * The lab of this test run, as provided by the global setup. Import this module (it also types
 * `inject('lab')`) from any package's tests.
 *
 * @example
 * import { labInfo } from '@ferry/lab/vitest'
 * const { aws, ssh } = labInfo()
 */
export function labInfo(): LabInfo {
  const lab = inject('lab')
  if (!lab) throw new Error('no lab: run the tests through vitest with the ferry global setup')
  return lab
}
