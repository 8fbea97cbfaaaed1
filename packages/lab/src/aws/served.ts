// Services the layer answers itself because moto has none (Global Accelerator): each takes the
// AWS requests signed for its service after the layer's faults and rules, and may add control
// routes under /_lab/<service>/.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AwsResponse } from './respond'
import type { AwsRequest } from './wire'

/** A service the layer serves in place of moto. */
export interface ServedService {
  /** Its SigV4 signing name, e.g. 'globalaccelerator'. */
  readonly service: string
  /** Answers one AWS request, errors included, in the service's protocol. */
  handle(request: AwsRequest): Promise<AwsResponse>
  /** Answers /_lab/<service>/<route>; undefined when there is no such route. */
  control(o: { method: string; route: string; scope: string; body: unknown }): unknown
}

/**
 * Answers a /_lab/<service>/… request when a served service has that route; false otherwise.
 * @example
 * if (serveControl(served, { req, body, res })) return
 */
export function serveControl(
  served: readonly ServedService[],
  { req, body, res }: { req: IncomingMessage; body: Buffer; res: ServerResponse },
): boolean {
  const url = new URL(req.url ?? '/', 'http://lab')
  const [, lab, service, ...rest] = url.pathname.split('/')
  const target = served.find((s) => lab === '_lab' && s.service === service)
  if (!target) return false
  const reply = (status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(value))
  }
  try {
    const answer = target.control({
      method: req.method ?? 'GET',
      route: rest.join('/'),
      scope: url.searchParams.get('scope') ?? '',
      body: body.length ? (JSON.parse(body.toString('utf8')) as unknown) : {},
    })
    if (answer === undefined) reply(404, { error: `no lab route ${req.method} ${url.pathname}` })
    else reply(200, answer)
  } catch (e) {
    reply(400, { error: e instanceof Error ? e.message : String(e) })
  }
  return true
}
