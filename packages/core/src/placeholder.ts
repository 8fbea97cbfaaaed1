// Placeholders for values earlier steps will produce, so `plan()` can describe a step without
// running the ones before it: `ctx.server.publicIp` renders as `{{server.publicIp}}`.

/**
 * A context whose every property is a placeholder naming its path.
 * @example
 * String(placeholderContext().server.instanceId) // '{{server.instanceId}}'
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function placeholderContext(path: string[] = []): any {
  /* eslint-disable @typescript-eslint/no-unsafe-return */
  const text = `{{${path.join('.')}}}`
  const target = () => placeholderContext([...path, '()'])
  return new Proxy(target, {
    get(_t, prop) {
      if (
        prop === Symbol.toPrimitive ||
        prop === 'toString' ||
        prop === 'toJSON' ||
        prop === 'valueOf'
      )
        return () => text
      if (prop === Symbol.iterator) return function* () {}
      if (prop === 'then') return undefined
      if (typeof prop === 'symbol') return undefined
      return placeholderContext([...path, prop])
    },
  })
  /* eslint-enable @typescript-eslint/no-unsafe-return */
}

/**
 * True when a value is (or renders as) a plan placeholder.
 * @example
 * isPlaceholder(placeholderContext().server.publicIp) // true
 */
export const isPlaceholder = (value: unknown): boolean => /^\{\{.*\}\}$/.test(String(value))
