import { ferryBuild } from '../../tsup.shared.js'

export default ferryBuild(['src/index.ts', 'src/reporter.ts'])
