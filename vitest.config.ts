import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// One vitest project per package; every test reads `src/` through the `@ferry/source` export
// condition, so nothing is built before the tests run.
const packages = ['core', 'ec2', 'proxy', 'images', 'edge', 'lab', 'ferry']
const conditions = ['@ferry/source', 'node', 'import', 'default']
const shared = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@ferry/source'] } },
}

export default defineConfig({
  ...shared,
  test: {
    // The lab (moto, sshd, nginx, pebble, podman) starts once per run, before any project, and
    // every project sees what it provides. Projects must NOT use `extends: true`: vitest 4 runs
    // the root globalSetup for the root project AND again for every project that inherits it,
    // which would start one lab per package.
    globalSetup: [fileURLToPath(new URL('./packages/lab/test/global-setup.ts', import.meta.url))],
    projects: packages.map((name) => ({
      ...shared,
      test: {
        name,
        root: `./packages/${name}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        typecheck: {
          enabled: name === 'core' || name === 'ferry',
          include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
          tsconfig: '../../tsconfig.json',
        },
        testTimeout: 60_000,
        hookTimeout: 120_000,
      },
    })),
  },
})
