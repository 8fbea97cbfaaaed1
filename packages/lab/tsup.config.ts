import { defineConfig } from 'tsup'

export default defineConfig({
  // cli.ts is what bin/ferry-lab.mjs runs from the built package.
  entry: ['src/index.ts', 'src/vitest.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // moto.ts finds the repo's venv relative to this package: import.meta.url must work in CJS too.
  shims: true,
})
