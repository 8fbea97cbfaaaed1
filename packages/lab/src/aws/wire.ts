// What an AWS request is, read off the wire: the service and region from its SigV4 credential
// scope, the operation from the protocol (query Action, JSON 1.1 X-Amz-Target, or REST path),
// and its parameters. The strict layer's rules read requests only through this.
import type { IncomingHttpHeaders } from 'node:http'

/** The four wire protocols of the services the lab serves. */
export type AwsProtocol = 'query' | 'json' | 'rest-xml' | 's3'

/** One request as the rules see it. */
export interface AwsRequest {
  /** The SigV4 signing name: 'ec2', 'cloudfront', 'globalaccelerator', 'autoscaling', … */
  service: string
  region: string
  /** The access key id: the lab keeps rules and faults per key, so tests can isolate theirs. */
  scope: string
  /** 'RunInstances', 'CreateInvalidation', … ('' when unknown). */
  operation: string
  protocol: AwsProtocol
  method: string
  path: string
  /** The path and query exactly as sent. */
  rawUrl: string
  headers: IncomingHttpHeaders
  body: Buffer
  /** Query-protocol parameters (form body and URL query), in order. */
  params: URLSearchParams
  /** JSON 1.1 body, parsed ({} for other protocols). */
  json: Record<string, unknown>
}

const QUERY_SERVICES = new Set(['ec2', 'autoscaling', 'elasticloadbalancing', 'sts', 'iam'])
const JSON_SERVICES = new Set(['kms', 'acm', 'globalaccelerator', 'ssm', 'secretsmanager'])

/**
 * Reads a request's service, region, operation and parameters.
 * @example
 * const request = readAwsRequest({ method: 'POST', url: '/', headers, body })
 * request.operation // 'RunInstances'
 */
export function readAwsRequest(raw: {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: Buffer
}): AwsRequest {
  const url = new URL(raw.url, 'http://lab')
  const scope = credentialScope(raw.headers, url)
  const service = scope?.service ?? ''
  const protocol: AwsProtocol = QUERY_SERVICES.has(service)
    ? 'query'
    : JSON_SERVICES.has(service)
      ? 'json'
      : service === 's3'
        ? 's3'
        : 'rest-xml'
  const params = new URLSearchParams(url.search)
  let json: Record<string, unknown> = {}
  if (protocol === 'query') {
    for (const [k, v] of new URLSearchParams(raw.body.toString('utf8'))) params.append(k, v)
  } else if (protocol === 'json' && raw.body.length > 0) {
    json = JSON.parse(raw.body.toString('utf8')) as Record<string, unknown>
  }
  const target = String(raw.headers['x-amz-target'] ?? '')
  const operation =
    protocol === 'query'
      ? (params.get('Action') ?? '')
      : protocol === 'json'
        ? target.slice(target.indexOf('.') + 1)
        : restOperation(service, raw.method, url.pathname)
  return {
    service,
    region: scope?.region ?? 'us-east-1',
    scope: scope?.accessKeyId ?? '',
    operation,
    protocol,
    method: raw.method,
    path: url.pathname,
    rawUrl: raw.url,
    headers: raw.headers,
    body: raw.body,
    params,
    json,
  }
}

function credentialScope(
  headers: IncomingHttpHeaders,
  url: URL,
): { accessKeyId: string; region: string; service: string } | undefined {
  const auth = String(headers.authorization ?? '')
  const credential =
    /Credential=([^,\s]+)/.exec(auth)?.[1] ?? url.searchParams.get('X-Amz-Credential')
  if (!credential) return undefined
  const [accessKeyId = '', , region = '', service = ''] = credential.split('/')
  return { accessKeyId, region, service }
}

// The REST operations the rules need by name; others stay '' and pass through untouched.
const REST_OPERATIONS: { service: string; method: string; path: RegExp; operation: string }[] = [
  {
    service: 'cloudfront',
    method: 'POST',
    path: /^\/[^/]+\/distribution\/[^/]+\/invalidation$/,
    operation: 'CreateInvalidation',
  },
  {
    service: 'cloudfront',
    method: 'POST',
    path: /^\/[^/]+\/distribution$/,
    operation: 'CreateDistribution',
  },
  {
    service: 'cloudfront',
    method: 'POST',
    path: /^\/[^/]+\/distribution-with-tags$/,
    operation: 'CreateDistributionWithTags',
  },
  {
    service: 'cloudfront',
    method: 'GET',
    path: /^\/[^/]+\/distribution\/[^/]+\/invalidation\/[^/]+$/,
    operation: 'GetInvalidation',
  },
]

function restOperation(service: string, method: string, path: string): string {
  return (
    REST_OPERATIONS.find((o) => o.service === service && o.method === method && o.path.test(path))
      ?.operation ?? ''
  )
}

/**
 * Every value of a query parameter family: `InstanceId.1`, `InstanceId.2`, … or
 * `Filter.1.Value.1`. Matching is by name prefix and ends on a number.
 * @example
 * listParams(params, 'InstanceId') // ['i-1', 'i-2']
 */
export function listParams(params: URLSearchParams, prefix: string): string[] {
  const pattern = new RegExp(`^${prefix.replaceAll('.', '\\.')}\\.\\d+$`)
  return [...params].filter(([k]) => pattern.test(k)).map(([, v]) => v)
}

/**
 * The parameters that identify what a request asks for, minus the ones that never change it
 * (Action, Version, the token itself): what "the same parameters" means for an idempotency token.
 * @example
 * fingerprintParams(params, 'ClientToken') // 'ImageId=ami-1&InstanceType=t3.micro&…'
 */
export function fingerprintParams(params: URLSearchParams, token: string): string {
  return [...params]
    .filter(([k]) => k !== token && k !== 'Version' && k !== 'Action')
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('&')
}
