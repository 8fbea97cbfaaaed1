// The lab's strict AWS layer: the endpoint every client is given. Each request is read off the
// wire, checked by the rules (which may answer it as AWS would refuse it), forwarded to moto,
// and its answer shown to the rules again. Faults a test queued are applied here too.
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import { awsError, type AwsResponse } from './respond'
import { controlRoutes } from './control-routes'
import { globalAcceleratorService } from './ga/service'
import { motoAsAws } from './moto-fixes'
import { createGate, type Gate, type GatePort } from './gate'
import type { Rule, RuleContext } from './rule'
import { consistencyRule } from './rules/consistency'
import { consoleOutputRule } from './rules/console-output'
import { idempotencyRule } from './rules/idempotency'
import { offeringsRule } from './rules/offerings'
import { createScopes } from './scopes'
import { serveControl, type ServedService } from './served'
import { readAwsRequest, type AwsRequest } from './wire'

/** What the layer needs to start. */
export interface AwsLayerOptions {
  port: number
  /** moto's own endpoint, e.g. 'http://127.0.0.1:41231'. */
  motoEndpoint: string
  gate: {
    listen: Record<GatePort, number>
    targets: Record<GatePort, number>
    instancesFile: string
  }
  /** The lab's notion of "you": the address connections into instances come from. */
  callerIp: string
  /** The lab sshd's host public key file: what every instance's console prints. */
  hostKeyFile: string
}

/** One request as the layer recorded it. */
export interface LayerCall {
  service: string
  region: string
  scope: string
  operation: string
  status: number
  /** Which rule answered, or which fault was applied; absent when moto answered. */
  by?: string
}

/**
 * Starts the layer on 127.0.0.1:port.
 * @example
 * const layer = await startAwsLayer({ port, motoEndpoint, gate, callerIp: '198.51.100.10' })
 */
export async function startAwsLayer(
  o: AwsLayerOptions,
): Promise<{ close: () => Promise<void>; gate: Gate }> {
  const scopes = createScopes(o.callerIp)
  const rules: Rule[] = [
    offeringsRule(),
    idempotencyRule(),
    consistencyRule(),
    consoleOutputRule({ hostKeyFile: o.hostKeyFile, now: Date.now }),
  ]
  const calls: LayerCall[] = []
  const moto = (r: AwsRequest) => forward(o.motoEndpoint, r)
  const ec2 = (region: string, params: Record<string, string>) =>
    forward(o.motoEndpoint, ec2Request(region, params))
  const gate = createGate({
    ...o.gate,
    ec2,
    caller: () => scopes.get('').callerIp,
    enabled: () => scopes.get('').settings.rules.securityGroups,
  })
  const control = controlRoutes({ scopes, calls, gate })
  // What moto lacks, the layer serves itself, behind the same faults and rules.
  const served: ServedService[] = [globalAcceleratorService({ ec2 })]

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(`ferry lab AWS layer: ${e instanceof Error ? e.stack : String(e)}`)
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    if (req.url?.startsWith('/_lab/'))
      return void (serveControl(served, { req, body, res }) || control(req, body, res))
    const request = readAwsRequest({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
    })
    const scope = scopes.get(request.scope)
    const ctx: RuleContext = { request, settings: scope.settings, moto, ec2 }
    const record = (status: number, by?: string) =>
      calls.push({
        service: request.service,
        region: request.region,
        scope: request.scope,
        operation: request.operation,
        status,
        ...(by ? { by } : {}),
      })

    const { rates } = scope.settings
    const fault =
      scope.takeFault(request, 'before') ??
      (rates.throttle > 0 && scope.random() < rates.throttle ? 'throttle' : undefined)
    if (fault === 'throttle' || (typeof fault === 'object' && fault !== null)) {
      const answer =
        fault === 'throttle'
          ? awsError(request, {
              code: request.service === 'ec2' ? 'RequestLimitExceeded' : 'Throttling',
              message: 'Request limit exceeded.',
              status: 503,
            })
          : awsError(request, {
              code: fault.code,
              message: fault.message ?? fault.code,
              status: fault.status,
            })
      record(answer.status, 'fault')
      return send(res, answer)
    }
    for (const rule of rules) {
      if (!scope.settings.rules[rule.name]) continue
      const answer = await rule.before?.(ctx)
      if (answer) {
        record(answer.status, rule.name)
        return send(res, answer)
      }
    }
    const lost =
      scope.takeFault(request, 'after') ??
      (rates.loseResponse > 0 && scope.random() < rates.loseResponse ? 'lose-response' : undefined)
    const own = served.find((s) => s.service === request.service)
    let response = await (own ? own.handle(request) : motoAsAws(ctx, () => moto(request)))
    for (const rule of rules) {
      if (!scope.settings.rules[rule.name]) continue
      response = (await rule.after?.(ctx, response)) ?? response
    }
    if (request.service === 'ec2' && response.status === 200) await openGates(request, response)
    if (lost === 'lose-response' || lost === 'drop-connection') {
      record(response.status, lost)
      if (lost === 'drop-connection') return void res.destroy()
      return send(
        res,
        awsError(request, {
          code: 'InternalError',
          message: 'We encountered an internal error. Please try again.',
          status: 500,
        }),
      )
    }
    record(response.status)
    send(res, response)
  }

  // Every instance AWS tells about gets its address (launched here, or by Auto Scaling in moto).
  async function openGates(request: AwsRequest, response: AwsResponse): Promise<void> {
    if (request.operation !== 'RunInstances' && request.operation !== 'DescribeInstances') return
    const ids = [
      ...response.body.toString('utf8').matchAll(/<instanceId>(i-[0-9a-f]+)<\/instanceId>/g),
    ].map((m) => m[1]!)
    for (const id of new Set(ids)) await gate.add(id, request.region)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(o.port, '127.0.0.1', () => resolve())
  })
  return {
    gate,
    close: async () => {
      await gate.close()
      await new Promise((r) => server.close(r))
    },
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, r: AwsResponse): void {
  res.writeHead(r.status, { ...r.headers, 'content-length': String(r.body.length) })
  res.end(r.body)
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length'])

/**
 * Sends a request to an endpoint as it came (headers, body) and buffers the answer.
 * @example
 * const response = await forward('http://127.0.0.1:41231', request)
 */
export function forward(endpoint: string, r: AwsRequest): Promise<AwsResponse> {
  const url = new URL(endpoint)
  return new Promise((resolve, reject) => {
    const headers = Object.fromEntries(
      Object.entries(r.headers).filter(([k]) => !HOP_BY_HOP.has(k)),
    )
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.rawUrl,
        headers: { ...headers, 'content-length': String(r.body.length) },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const out: Record<string, string> = {}
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = Array.isArray(v) ? v.join(', ') : v
          resolve({ status: res.statusCode ?? 500, headers: out, body: Buffer.concat(chunks) })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(r.body)
  })
}

/**
 * An EC2 query request for a region, as the SDK would send it (the credential scope carries the
 * region moto answers for).
 * @example
 * ec2Request('us-east-1', { Action: 'DescribeInstances' })
 */
export function ec2Request(region: string, params: Record<string, string>): AwsRequest {
  const body = Buffer.from(new URLSearchParams({ Version: '2016-11-15', ...params }).toString())
  return readAwsRequest({
    method: 'POST',
    url: '/',
    headers: {
      host: 'ec2.lab',
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
  })
}
