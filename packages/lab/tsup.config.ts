import { ferryBuild } from '../../tsup.shared.js'

export default ferryBuild(['src/index.ts', 'src/vitest.ts', 'src/cli.ts'])
