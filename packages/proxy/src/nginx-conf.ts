// A thin typed wrapper over nginx-conf's in-memory tree. nginx-conf 2.1 has a callback API, but
// `createFromSource` parses synchronously and calls back before it returns, so building stays
// pure; files are never opened with `create()` (it would write back on every edit).
import { NginxConfFile } from 'nginx-conf'

type NginxConfItem = NginxConfFile['nginx']

/** A block (the file itself, `server`, `location`, `map`) that directives and blocks are added to. */
export interface ConfBlock {
  /** Adds a directive `name value;`. */
  set(name: string, value: string): ConfBlock
  /** Adds a child block `name value { }` and returns it. */
  add(name: string, value?: string): ConfBlock
}

/** The root of a config being built. */
export interface ConfRoot extends ConfBlock {
  /** The config as nginx text. */
  render(): string
}

/**
 * An empty config to build in memory.
 * @example
 * const conf = emptyConf()
 * conf.add('server').set('listen', '80')
 * conf.render() // 'server {\n    listen 80;\n}\n'
 */
export function emptyConf(): ConfRoot {
  const file = parse('')
  return { ...block(file.nginx), render: () => file.toString() }
}

/**
 * Parses nginx text with nginx-conf, synchronously.
 * @example
 * parse('events {}\n').nginx.events?.length // 1
 */
export function parse(source: string): NginxConfFile {
  let result: { error: Error | null; conf?: NginxConfFile } | undefined
  NginxConfFile.createFromSource(source, (error, conf) => {
    result = { error, conf }
  })
  if (!result) throw new Error('nginx-conf did not parse synchronously')
  if (result.error || !result.conf)
    throw new Error(`nginx-conf could not parse: ${result.error?.message ?? 'no tree'}`)
  return result.conf
}

function block(item: NginxConfItem): ConfBlock {
  const self: ConfBlock = {
    set(name, value) {
      item._add(name, value)
      return self
    },
    add(name, value = '') {
      item._add(name, value, [])
      const added = item[name]
      return block(added![added!.length - 1]!)
    },
  }
  return self
}
