// Instance-type offerings per Availability Zone. "Instance types are not available in every
// Availability Zone"; launching one where it is not offered fails with `Unsupported`: "Your
// requested instance type (t3.micro) is not supported in your requested Availability Zone" —
// AWS, "Troubleshoot instance launch issues" and DescribeInstanceTypeOfferings
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/troubleshooting-launch.html,
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypeOfferings.html).
// moto has the offering data (us-east-1e offers no t3, as on AWS) but launches anything
// anywhere; this rule holds RunInstances and StartInstances to moto's own table.
import { awsError, xmlValues } from '../respond'
import type { Rule, RuleContext } from '../rule'

/**
 * The offerings rule.
 * @example
 * const rule = offeringsRule()
 */
export function offeringsRule(): Rule {
  return {
    name: 'offerings',
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/troubleshooting-launch.html',
    async before(ctx) {
      const { request } = ctx
      if (request.service !== 'ec2') return undefined
      const wanted =
        request.operation === 'RunInstances'
          ? await launchTarget(ctx)
          : request.operation === 'StartInstances'
            ? await startTargets(ctx)
            : []
      for (const { type, zone } of wanted) {
        if (await offered(ctx, type, zone)) continue
        return awsError(request, {
          code: 'Unsupported',
          message: `Your requested instance type (${type}) is not supported in your requested Availability Zone (${zone}). Please retry your request by not specifying an Availability Zone or choosing another one.`,
        })
      }
      return undefined
    },
  }
}

async function launchTarget(ctx: RuleContext): Promise<{ type: string; zone: string }[]> {
  const p = ctx.request.params
  const type = p.get('InstanceType') ?? 'm1.small'
  let zone = p.get('Placement.AvailabilityZone') ?? ''
  const subnet = p.get('SubnetId') ?? p.get('NetworkInterface.1.SubnetId')
  if (!zone && subnet) {
    const out = await ctx.ec2(ctx.request.region, {
      Action: 'DescribeSubnets',
      'SubnetId.1': subnet,
    })
    zone = xmlValues(out.body, 'availabilityZone')[0] ?? ''
  }
  return zone ? [{ type, zone }] : []
}

async function startTargets(ctx: RuleContext): Promise<{ type: string; zone: string }[]> {
  const params: Record<string, string> = { Action: 'DescribeInstances' }
  ;[...ctx.request.params]
    .filter(([k]) => /^InstanceId\.\d+$/.test(k))
    .forEach(([, v], i) => (params[`InstanceId.${i + 1}`] = v))
  const text = (await ctx.ec2(ctx.request.region, params)).body.toString('utf8')
  const types = xmlValues(text, 'instanceType')
  const zones = xmlValues(text, 'availabilityZone')
  return types.map((type, i) => ({ type, zone: zones[i] ?? '' })).filter((t) => t.zone)
}

async function offered(ctx: RuleContext, type: string, zone: string): Promise<boolean> {
  const out = await ctx.ec2(ctx.request.region, {
    Action: 'DescribeInstanceTypeOfferings',
    LocationType: 'availability-zone',
    'Filter.1.Name': 'location',
    'Filter.1.Value.1': zone,
    'Filter.2.Name': 'instance-type',
    'Filter.2.Value.1': type,
  })
  return xmlValues(out.body, 'instanceType').includes(type)
}
