// Idempotency tokens. "If you repeat a request with the same client token and the same
// parameters, the original result is returned; with the same token and different parameters,
// Amazon EC2 returns IdempotentParameterMismatch" — AWS, "Ensuring idempotency in Amazon EC2
// API requests" (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html) —
// "if one or more of the parameters, other than the Region or Availability Zone, are different":
// a token belongs to its Region, and a different AZ alone is no mismatch;
// tokens last at least 24 hours after the instance terminates, so the lab keeps them for its
// whole life. CloudFront's CallerReference: "If you make a second invalidation request with the
// same value for CallerReference, and if the rest of the request is the same, CloudFront doesn't
// create a new invalidation request ... if the rest of the request is different, CloudFront
// returns an InvalidationBatchAlreadyExists error" (CreateInvalidation, CloudFront API
// Reference); a distribution's CallerReference works the same way with DistributionAlreadyExists.
// moto ignores all of them: without this rule a retried create makes a second resource.
import { awsError, xmlValues, type AwsResponse } from '../respond'
import type { Rule, RuleContext } from '../rule'
import { fingerprintParams } from '../wire'

interface Remembered {
  fingerprint: string
  response: AwsResponse
}

interface TokenSpec {
  /** The token from the request, or undefined when it carries none. */
  token(ctx: RuleContext): string | undefined
  /** What must be the same for the token to return the original result. */
  fingerprint(ctx: RuleContext): string
  mismatch: { code: string; status: number; message: string }
}

const query = (name: string): Pick<TokenSpec, 'token' | 'fingerprint'> => ({
  token: ({ request }) => request.params.get(name) ?? undefined,
  fingerprint: ({ request }) =>
    fingerprintParams(request.params, name)
      .split('&')
      .filter((p) => !p.startsWith('Placement.AvailabilityZone='))
      .join('&'),
})

// CloudFront's reference is an element of the XML body: the rest of the body must match.
const callerReference: Pick<TokenSpec, 'token' | 'fingerprint'> = {
  token: ({ request }) => xmlValues(request.body, 'CallerReference')[0],
  fingerprint: ({ request }) =>
    `${request.path} ${request.body.toString('utf8').replace(/<CallerReference>[^<]*<\/CallerReference>/, '')}`,
}

const distribution: TokenSpec = {
  ...callerReference,
  mismatch: {
    code: 'DistributionAlreadyExists',
    status: 409,
    message:
      'The caller reference that you are using to create a distribution is associated with another distribution.',
  },
}

const TOKENS: Record<string, TokenSpec> = {
  'ec2 RunInstances': {
    ...query('ClientToken'),
    mismatch: {
      code: 'IdempotentParameterMismatch',
      status: 400,
      message:
        'The client token you have provided is associated with a resource that is already deleted or has different parameters. Please use a different client token.',
    },
  },
  'ec2 CopyImage': {
    ...query('ClientToken'),
    mismatch: {
      code: 'IdempotentParameterMismatch',
      status: 400,
      message:
        'The client token you have provided is associated with a request that has different parameters. Please use a different client token.',
    },
  },
  'cloudfront CreateInvalidation': {
    ...callerReference,
    mismatch: {
      code: 'InvalidationBatchAlreadyExists',
      status: 409,
      message:
        'The CallerReference you attempted to create the invalidation with is already in use with a different invalidation batch.',
    },
  },
  // The same create with tags: the same reference rule.
  'cloudfront CreateDistribution': distribution,
  'cloudfront CreateDistributionWithTags': distribution,
}

/**
 * The idempotency-token rule: the first success per token is remembered and returned again for
 * the same parameters (with each instance's current state); other parameters are refused.
 * @example
 * const rule = idempotencyRule()
 */
export function idempotencyRule(): Rule {
  const remembered = new Map<string, Remembered>()
  const keyOf = (ctx: RuleContext) => {
    const spec = TOKENS[`${ctx.request.service} ${ctx.request.operation}`]
    const token = spec?.token(ctx)
    if (!spec || !token) return undefined
    // EC2 keeps tokens per Region; CloudFront is global (its requests all sign for us-east-1).
    return {
      spec,
      key: `${ctx.request.service} ${ctx.request.region} ${ctx.request.operation} ${token}`,
    }
  }
  return {
    name: 'idempotency',
    source: 'https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html',
    async before(ctx) {
      const found = keyOf(ctx)
      const earlier = found && remembered.get(found.key)
      if (!found || !earlier) return undefined
      if (earlier.fingerprint !== found.spec.fingerprint(ctx))
        return awsError(ctx.request, found.spec.mismatch)
      if (ctx.request.operation === 'RunInstances') return withCurrentStates(ctx, earlier.response)
      return earlier.response
    },
    after(ctx, response) {
      const found = keyOf(ctx)
      if (found && response.status >= 200 && response.status < 300 && !remembered.has(found.key))
        remembered.set(found.key, { fingerprint: found.spec.fingerprint(ctx), response })
      return undefined
    },
  }
}

// The original reservation, each instance in the state it is in now (terminated ones too).
async function withCurrentStates(ctx: RuleContext, original: AwsResponse): Promise<AwsResponse> {
  let text = original.body.toString('utf8')
  const ids = xmlValues(text, 'instanceId')
  const params: Record<string, string> = { Action: 'DescribeInstances' }
  ids.forEach((id, i) => (params[`InstanceId.${i + 1}`] = id))
  const now = (await ctx.ec2(ctx.request.region, params)).body.toString('utf8')
  for (const id of ids) {
    const state = new RegExp(
      `<instanceId>${id}</instanceId>[\\s\\S]*?(<instanceState>[\\s\\S]*?</instanceState>)`,
    ).exec(now)?.[1]
    if (!state) continue
    text = text.replace(
      new RegExp(
        `(<instanceId>${id}</instanceId>[\\s\\S]*?)<instanceState>[\\s\\S]*?</instanceState>`,
      ),
      `$1${state}`,
    )
  }
  return { ...original, body: Buffer.from(text) }
}
