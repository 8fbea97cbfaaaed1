// The web server's own security group: created empty (no ingress until openPorts), tagged,
// and deleted again once nothing uses it.
import { createHash } from 'node:crypto'
import type { CreateSecurityGroupCommandInput } from '@aws-sdk/client-ec2'
import { AwsError, FerryError, ferryTags, RUN_TAG, waitFor } from '@ferry/core'
import { ec2Call, type Ec2Context } from './sdk.js'
import type { TagContext } from './key-pair.js'

/**
 * A security group name unique per run and step: `ferry-<name>-<8 hex>`.
 * @example
 * securityGroupName('web', { runId: 'r1', step: 'launch' }) // 'ferry-web-1f0c…'
 */
export function securityGroupName(name: string, tags: TagContext): string {
  const suffix = createHash('sha256')
    .update(`${tags.runId ?? ''}\0${tags.step ?? ''}`)
    .digest('hex')
    .slice(0, 8)
  return `ferry-${name}-${suffix}`.slice(0, 255)
}

/**
 * The CreateSecurityGroup input: no rules (EC2 adds only the default allow-all egress), tagged.
 * @example
 * createSecurityGroupInput({ name: 'web', vpcId: 'vpc-0123456789abcdef0' }, { runId: 'r1', step: 'launch' })
 */
export function createSecurityGroupInput(
  input: { name: string; vpcId?: string; groupName?: string; tags?: Record<string, string> },
  tags: TagContext = {},
): CreateSecurityGroupCommandInput {
  return {
    GroupName: input.groupName ?? securityGroupName(input.name, tags),
    Description: `ferry web server ${input.name}${tags.runId ? ` (run ${tags.runId})` : ''}`,
    ...(input.vpcId ? { VpcId: input.vpcId } : {}),
    TagSpecifications: [
      {
        ResourceType: 'security-group',
        Tags: ferryTags({ ...tags, name: input.name, extra: input.tags }),
      },
    ],
  }
}

/**
 * Creates the group and returns its id.
 * @example
 * const groupId = await createSecurityGroupWith(ctx, createSecurityGroupInput({ name: 'web' }, tags))
 */
export async function createSecurityGroupWith(
  ctx: Ec2Context,
  input: CreateSecurityGroupCommandInput,
): Promise<string> {
  const out = await ec2Call(ctx, 'CreateSecurityGroup', (s, ec2) =>
    ec2.send(new s.CreateSecurityGroupCommand(input)),
  ).catch(async (error: unknown) => {
    // The SDK retried a create whose answer was lost: the group is there, made by this very
    // request (same name, same run tag). Adopt it; anyone else's group of that name stays an error.
    if (!(AwsError.is(error) && error.awsCode === 'InvalidGroup.Duplicate')) throw error
    const ours = await ownGroup(ctx, input)
    if (!ours) throw error
    return { GroupId: ours }
  })
  if (!out.GroupId)
    throw new FerryError('AWS', 'CreateSecurityGroup returned no group id.', { retryable: true })
  return out.GroupId
}

/**
 * Deletes a security group, retrying while EC2 still counts a terminated instance's network
 * interface as using it (DependencyViolation). A missing group is not an error.
 * @example
 * await deleteSecurityGroupWith(ctx, 'sg-0123456789abcdef0')
 */
export async function deleteSecurityGroupWith(
  ctx: Ec2Context,
  groupId: string,
  options: { maxWaitTime?: number; fresh?: boolean } = {},
): Promise<void> {
  let unseen = 0
  await waitFor(
    async () => {
      try {
        await ec2Call(ctx, 'DeleteSecurityGroup', (s, ec2) =>
          ec2.send(new s.DeleteSecurityGroupCommand({ GroupId: groupId })),
        )
      } catch (error) {
        // A group made seconds ago may not be visible yet: believe its NotFound only after a few.
        if (AwsError.is(error) && error.awsCode === 'InvalidGroup.NotFound')
          return options.fresh && ++unseen < 4
            ? { done: false, state: 'not visible yet' }
            : { done: true, value: undefined }
        if (AwsError.is(error) && error.awsCode === 'DependencyViolation')
          return { done: false, state: 'still in use' }
        throw error
      }
      return { done: true, value: undefined }
    },
    {
      what: `security group ${groupId} deleted`,
      maxWaitTime: options.maxWaitTime ?? 300_000,
      backoff: { minDelayMs: 2000, maxDelayMs: 15_000 },
      signal: ctx.signal,
      onEvent: ctx.emit,
      clock: ctx.clock,
    },
  )
}

// The group of this name (and VPC) that carries the same ferry:run tag as the input.
async function ownGroup(
  ctx: Ec2Context,
  input: CreateSecurityGroupCommandInput,
): Promise<string | undefined> {
  const run = input.TagSpecifications?.[0]?.Tags?.find((t) => t.Key === RUN_TAG)?.Value
  if (!run) return undefined
  const out = await ec2Call(ctx, 'DescribeSecurityGroups', (s, ec2) =>
    ec2.send(
      new s.DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'group-name', Values: [input.GroupName!] },
          { Name: `tag:${RUN_TAG}`, Values: [run] },
          ...(input.VpcId ? [{ Name: 'vpc-id', Values: [input.VpcId] }] : []),
        ],
      }),
    ),
  )
  return out.SecurityGroups?.[0]?.GroupId
}
