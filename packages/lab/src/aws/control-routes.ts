// The layer's own API under /_lab/ (never an AWS path): tests switch rules, queue faults, read
// the calls the layer saw and the gate's decisions. `control.ts` is its client.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Gate } from './gate'
import type { LayerCall } from './layer'
import type { Scopes } from './scopes'

/**
 * The handler of /_lab/ requests.
 * @example
 * const control = controlRoutes({ scopes, calls, gate })
 */
export function controlRoutes(o: { scopes: Scopes; calls: LayerCall[]; gate: Gate }) {
  return (req: IncomingMessage, body: Buffer, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://lab')
    const scope = url.searchParams.get('scope') ?? ''
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(value))
    }
    const input = () => (body.length ? (JSON.parse(body.toString('utf8')) as never) : ({} as never))
    try {
      switch (`${req.method} ${url.pathname}`) {
        case 'GET /_lab/health':
          return reply(200, { ok: true })
        case 'GET /_lab/checkip':
          res.writeHead(200, { 'content-type': 'text/plain' })
          return void res.end(`${o.scopes.get(scope).callerIp}\n`)
        case 'GET /_lab/settings':
          return reply(200, o.scopes.get(scope).settings)
        case 'POST /_lab/settings':
          return reply(200, o.scopes.configure(scope, input()))
        case 'POST /_lab/faults':
          o.scopes.inject(scope, input())
          return reply(200, { ok: true })
        case 'POST /_lab/reset':
          o.scopes.reset(scope)
          return reply(200, { ok: true })
        case 'GET /_lab/calls':
          return reply(200, scope ? o.calls.filter((c) => c.scope === scope) : o.calls)
        case 'GET /_lab/gate':
          return reply(200, {
            instances: [...o.gate.instances.values()],
            decisions: o.gate.decisions,
          })
        default:
          return reply(404, { error: `no lab route ${req.method} ${url.pathname}` })
      }
    } catch (e) {
      reply(400, { error: e instanceof Error ? e.message : String(e) })
    }
  }
}
