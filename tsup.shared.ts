import { defineConfig, type Options } from 'tsup'

/** Every ferry package builds the same way: ESM + CJS + declarations for Node 20. */
export const ferryBuild = (entry: string[] | Record<string, string>) =>
  defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
  } satisfies Options)
