import { ferryBuild } from '../../tsup.shared.js'

export default ferryBuild({
  index: 'src/index.ts',
  vitest: 'src/vitest.ts',
  cli: 'src/cli.ts',
  // The strict AWS layer's process (start.ts spawns dist/aws-main.js when not run from source).
  'aws-main': 'src/aws/main.ts',
})
