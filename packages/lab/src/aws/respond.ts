// AWS responses as the lab's strict layer writes them: each error in its service's own wire
// shape, so every SDK (and the AWS CLI) parses it into the same exception AWS would raise.
import { randomUUID } from 'node:crypto'
import type { AwsProtocol, AwsRequest } from './wire'

/** A response on its way back to the client. */
export interface AwsResponse {
  status: number
  headers: Record<string, string>
  body: Buffer
}

/** An AWS error the lab answers with. */
export interface AwsErrorSpec {
  code: string
  message: string
  /** Default 400. */
  status?: number
}

const escapeXml = (s: string): string =>
  s.replace(
    /[<>&'"]/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`,
  )

/**
 * An error response in the request's protocol: EC2's `<Response><Errors>`, the query
 * services' and REST-XML `<ErrorResponse>`, S3's `<Error>`, JSON 1.1's `__type`.
 * @example
 * awsError(request, { code: 'IdempotentParameterMismatch', message: '…' })
 */
export function awsError(
  request: Pick<AwsRequest, 'service' | 'protocol'>,
  e: AwsErrorSpec,
): AwsResponse {
  const requestId = randomUUID()
  const status = e.status ?? 400
  const code = escapeXml(e.code)
  const message = escapeXml(e.message)
  const xml = (text: string): AwsResponse => ({
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`),
  })
  const type = status >= 500 ? 'Receiver' : 'Sender'
  const shape: Record<AwsProtocol, () => AwsResponse> = {
    query: () =>
      request.service === 'ec2'
        ? xml(
            `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
          )
        : xml(
            `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
          ),
    'rest-xml': () =>
      xml(
        `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      ),
    s3: () =>
      xml(
        `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
      ),
    json: () => ({
      status,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': e.code,
      },
      body: Buffer.from(JSON.stringify({ __type: e.code, message: e.message })),
    }),
  }
  return shape[request.protocol]()
}

/**
 * A JSON 1.1 success response (services the lab serves itself, like Global Accelerator).
 * @example
 * jsonResponse({ Accelerator: view })
 */
export function jsonResponse(value: unknown): AwsResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
    body: Buffer.from(JSON.stringify(value ?? {})),
  }
}

/**
 * The text of every `<tag>value</tag>` in an XML body, in order (ids and states are plain
 * tokens in AWS's XML, so no entity decoding is needed for what the rules read).
 * @example
 * xmlValues(body, 'instanceId') // ['i-0123…']
 */
export function xmlValues(body: Buffer | string, tag: string): string[] {
  const text = typeof body === 'string' ? body : body.toString('utf8')
  return [...text.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]!)
}
