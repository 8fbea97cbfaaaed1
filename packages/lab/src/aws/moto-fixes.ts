// Where moto's answer is not AWS's, the layer mends it before any rule or client sees it. Not a
// rule to switch off: a client must read what AWS would have said.
// - AuthorizeSecurityGroupIngress: AWS's response lists every rule it created
//   ("SecurityGroupRules — Information about the inbound (ingress) security group rules that were
//   added", EC2 API Reference); moto lists only the last permission's.
import type { AwsResponse } from './respond'
import type { RuleContext } from './rule'
import type { AwsRequest } from './wire'

/**
 * Sends a request to moto, mending the answers moto gets wrong.
 * @example
 * const response = await motoAsAws(ctx, () => moto(request))
 */
export async function motoAsAws(
  ctx: Pick<RuleContext, 'request' | 'ec2'>,
  send: () => Promise<AwsResponse>,
): Promise<AwsResponse> {
  if (ctx.request.service !== 'ec2' || ctx.request.operation !== 'AuthorizeSecurityGroupIngress')
    return send()
  const groupId = ctx.request.params.get('GroupId')
  if (!groupId) return send()
  const before = new Set(
    ruleItems(await groupRules(ctx.request, ctx.ec2, groupId)).map((r) => r.id),
  )
  const response = await send()
  if (response.status !== 200) return response
  const added = ruleItems(await groupRules(ctx.request, ctx.ec2, groupId)).filter(
    (r) => !before.has(r.id),
  )
  const body = response.body
    .toString('utf8')
    .replace(
      /<securityGroupRuleSet>[\s\S]*<\/securityGroupRuleSet>/,
      `<securityGroupRuleSet>${added.map((r) => r.xml).join('')}</securityGroupRuleSet>`,
    )
  return { ...response, body: Buffer.from(body) }
}

async function groupRules(
  request: AwsRequest,
  ec2: RuleContext['ec2'],
  groupId: string,
): Promise<string> {
  const out = await ec2(request.region, {
    Action: 'DescribeSecurityGroupRules',
    'Filter.1.Name': 'group-id',
    'Filter.1.Value.1': groupId,
  })
  return out.body.toString('utf8')
}

// Each rule's <item> (its tags nest items of their own, so split on the rule id).
function ruleItems(xml: string): { id: string; xml: string }[] {
  const set = /<securityGroupRuleSet>([\s\S]*)<\/securityGroupRuleSet>/.exec(xml)?.[1] ?? ''
  return [
    ...set.matchAll(
      /<item><securityGroupRuleId>([^<]+)<\/securityGroupRuleId>[\s\S]*?(?=<item><securityGroupRuleId>|$)/g,
    ),
  ].map((m) => ({ id: m[1]!, xml: m[0] }))
}
