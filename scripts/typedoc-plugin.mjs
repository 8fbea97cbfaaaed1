// Names each API module after the import path users write (`@ferry/core/reporter`), not its
// source folder (`core/src/reporter`), which is what TypeDoc's resolve strategy would show.
import { readFileSync } from 'node:fs'
import { Converter } from 'typedoc'

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const mod of context.project.children ?? []) {
      const match = /^([\w-]+)\/src(?:\/(.+))?$/.exec(mod.name)
      if (!match) continue
      const [, folder, sub] = match
      const manifest = new URL(`../packages/${folder}/package.json`, import.meta.url)
      const { name } = JSON.parse(readFileSync(manifest, 'utf8'))
      mod.name = sub && sub !== 'index' ? `${name}/${sub}` : name
    }
  })
}
