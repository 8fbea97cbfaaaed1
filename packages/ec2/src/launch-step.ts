// launchWebServerStep: launchWebServer as a pipeline step, adding { server, servers }.
import { rm } from 'node:fs/promises'
import { defineStep, dryRun, type PlanEntry, type Step } from '@ferry/core'
import { amiQuery, resolveAmi } from './ami.js'
import { createKeyPairInput, importKeyPairInput } from './key-pair.js'
import { runInstancesInput } from './launch-input.js'
import { launchArchitecture, resolveNetwork } from './launch-resolve.js'
import { keyPairName } from './launch-resources.js'
import { checkLaunchInput, type LaunchWebServerInput } from './launch-spec.js'
import { launchWebServer, type LaunchWebServerOptions } from './launch.js'
import { READY_LEVELS } from './readiness.js'
import { ec2Call } from './sdk.js'
import { createSecurityGroupInput } from './security-group.js'
import { stepContext, stepEc2 } from './step-env.js'
import { deleteResourcesWith } from './terminate.js'
import type { WebServer } from './web-server.js'

/** Step options: its name, and the waits of launchWebServer. */
export type LaunchStepOptions = { name?: string } & Pick<
  LaunchWebServerOptions,
  | 'maxWaitTime'
  | 'waiterMinDelay'
  | 'hostKeyWaitTime'
  | 'cloudInitTimeout'
  | 'cleanupOnFailure'
  | 'myIp'
  /** Where to read host keys from (trust-on-first-use, fingerprint report); default the public IP. */
  | 'resolveHost'
>

/**
 * A step that launches web servers (see launchWebServer). Undo terminates them and deletes
 * the security group, key pair and key files it created.
 * @example
 * pipeline({ aws: { region: 'ap-south-1' } }).use(launchWebServerStep({ name: 'web', instanceType: 't3.micro' }))
 */
export function launchWebServerStep(
  input: LaunchWebServerInput,
  options: LaunchStepOptions = {},
): Step<object, { server: WebServer; servers: WebServer[] }> {
  const spec = checkLaunchInput(input)
  return defineStep({
    name: options.name ?? 'launchWebServer',
    async run(_ctx: object, env) {
      const { server, servers } = await launchWebServer(input, {
        ...options,
        ec2: await stepEc2(env),
        runId: env.runId,
        step: env.step,
        clientToken: env.token('run-instances'),
        hostFor: (s) => env.host(s),
        // The run's resolveHost (the lab maps instances to its sshd), so the presented key is read.
        resolveHost: options.resolveHost ?? ((s) => env.target(s)),
        record: (key, value) => env.record(key, value),
        onEvent: env.onEvent,
        signal: env.signal,
        clock: env.clock,
      })
      return { server, servers }
    },
    async undo(ctx, env) {
      const servers = ctx.servers.length ? ctx.servers : [ctx.server]
      const first = servers[0]!
      const keyFiles = first.keyPair.created
        ? [first.keyPair.path, first.keyPair.ppkPath].filter((f): f is string => !!f)
        : []
      await deleteResourcesWith(await stepContext(env), {
        instanceIds: servers.map((s) => s.instanceId),
        securityGroupIds: first.securityGroupCreated ? [first.securityGroupId] : [],
        keyNames: first.keyPair.created ? [first.keyPair.name] : [],
      })
      for (const file of keyFiles) await rm(file, { force: true })
      return `terminated ${servers.map((s) => s.instanceId).join(', ')}${first.securityGroupCreated ? `, deleted ${first.securityGroupId}` : ''}${first.keyPair.created ? `, deleted key pair ${first.keyPair.name}` : ''}`
    },
    plan(_ctx, env): PlanEntry[] {
      const tags = { runId: env.runId, step: env.step }
      const aws = (operation: string, input: unknown): PlanEntry => ({
        kind: 'aws',
        service: 'EC2',
        operation,
        input,
      })
      const kp = spec.keyPair
      const keyName = keyPairName(spec, tags)
      const entries: PlanEntry[] = [
        aws('DescribeInstanceTypes', { InstanceTypes: [spec.instanceType] }),
        aws(
          'DescribeImages',
          typeof spec.ami === 'string'
            ? { ImageIds: [spec.ami] }
            : amiQuery({ ...spec.ami, architecture: spec.ami.architecture ?? 'x86_64' }),
        ),
        aws('DescribeVpcs', { Filters: [{ Name: 'is-default', Values: ['true'] }] }),
      ]
      if ('create' in kp)
        entries.push(
          aws(
            'CreateKeyPair',
            createKeyPairInput({ ...kp.create, name: keyName, tags: spec.tags }, tags),
          ),
        )
      if ('import' in kp)
        entries.push(
          aws(
            'ImportKeyPair',
            importKeyPairInput(
              {
                name: keyName,
                publicKey: kp.import.publicKey ?? '{{public key of the private key}}',
                tags: spec.tags,
              },
              tags,
            ),
          ),
        )
      entries.push(
        aws(
          'CreateSecurityGroup',
          createSecurityGroupInput(
            { name: spec.name, vpcId: spec.vpcId ?? '{{defaultVpcId}}', tags: spec.tags },
            tags,
          ),
        ),
      )
      if (spec.sshFrom !== false && READY_LEVELS.indexOf(spec.ready) >= READY_LEVELS.indexOf('ssh'))
        entries.push(
          aws('AuthorizeSecurityGroupIngress', {
            GroupId: '{{securityGroup.groupId}}',
            IpPermissions: [
              {
                IpProtocol: 'tcp',
                FromPort: spec.sshPort,
                ToPort: spec.sshPort,
                Sources: [spec.sshFrom ?? 'me'].flat().map((s) => (s === 'me' ? '{{myIp}}/32' : s)),
              },
            ],
          }),
        )
      entries.push(
        aws(
          'RunInstances',
          runInstancesInput(
            {
              name: spec.name,
              imageId: '{{ami.imageId}}',
              instanceType: spec.instanceType,
              count: spec.count,
              keyName,
              securityGroupId: '{{securityGroup.groupId}}',
              subnetId: spec.subnetId,
              rootDeviceName: '{{ami.rootDeviceName}}',
              rootVolume: spec.rootVolume,
              userData: typeof spec.userData === 'string' ? spec.userData : undefined,
              // The run's token plus a hash of the final request (see requestToken).
              clientToken: `${env.token('run-instances').slice(0, 51)}-{{hash of the request}}`,
              tags: spec.tags,
            },
            tags,
          ),
        ),
        {
          kind: 'note',
          text: `wait until ${spec.ready}: running → status checks ok → SSH (host key: ${typeof spec.hostKey === 'string' ? spec.hostKey : 'pinned'}) → cloud-init`,
        },
      )
      return entries
    },
    async preflight(_ctx, env) {
      const ctx = await stepContext(env)
      const { architecture } = await launchArchitecture(ctx, spec.instanceType, spec.ami)
      const ami = await resolveAmi(ctx, spec.ami, architecture)
      const network = await resolveNetwork(ctx, spec)
      const tags = { runId: env.runId, step: env.step }
      const name = keyPairName(spec, tags)
      const check = (operation: string, call: () => Promise<unknown>) =>
        dryRun(call, { operation, onEvent: ctx.emit })
      if ('create' in spec.keyPair)
        await check('CreateKeyPair', () =>
          ec2Call(ctx, 'CreateKeyPair', (s, ec2) =>
            ec2.send(
              new s.CreateKeyPairCommand({ ...createKeyPairInput({ name }, tags), DryRun: true }),
            ),
          ),
        )
      await check('CreateSecurityGroup', () =>
        ec2Call(ctx, 'CreateSecurityGroup', (s, ec2) =>
          ec2.send(
            new s.CreateSecurityGroupCommand({
              ...createSecurityGroupInput({ name: spec.name, vpcId: network.vpcId }, tags),
              DryRun: true,
            }),
          ),
        ),
      )
      // Without the group (not created yet) EC2 checks the rest: type, image, tags, volume.
      const input = runInstancesInput(
        {
          name: spec.name,
          imageId: ami.imageId,
          instanceType: spec.instanceType,
          count: spec.count,
          keyName: name,
          securityGroupId: 'sg-00000000',
          subnetId: network.subnetId,
          rootDeviceName: ami.rootDeviceName,
          rootVolume: spec.rootVolume,
          clientToken: env.token('preflight'),
        },
        tags,
      )
      const { SecurityGroupIds: _group, KeyName: _key, ...rest } = input
      await check('RunInstances', () =>
        ec2Call(ctx, 'RunInstances', (s, ec2) =>
          ec2.send(new s.RunInstancesCommand({ ...rest, DryRun: true })),
        ),
      )
    },
  })
}
