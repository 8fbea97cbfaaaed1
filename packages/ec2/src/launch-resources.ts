// The key pair and security group of a launch: created, or adopted when an earlier attempt of
// the same run+step created them (found by tags). Each creation is noted for cleanup.
import { access } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { AwsError, FerryError, type Secret } from '@ferry/core'
import type { CheckedLaunch } from './launch-spec.js'
import { loginKey } from './launch-resolve.js'
import {
  checkCreateKeyPair,
  createKeyPairWith,
  importKeyPairWith,
  type KeyPairInfo,
  type TagContext,
} from './key-pair.js'
import { ec2Call, type Ec2Context } from './sdk.js'
import {
  createSecurityGroupInput,
  createSecurityGroupWith,
  securityGroupName,
} from './security-group.js'
import { parsePrivateKey, publicKeyLine } from './ssh-key.js'
import type { TaggedResources } from './tagged.js'
import type { Ec2Resources } from './terminate.js'

/** What a launch created so far (deleted again if it fails). */
export interface Created extends Ec2Resources {
  keyFiles: string[]
}

interface EnsureContext {
  found: TaggedResources
  created: Created
  tags: Required<TagContext>
}

/**
 * The key pair name of a launch: the one given, else `ferry-<name>-<hash of run+step>`.
 * @example
 * keyPairName(spec, { runId: 'r1', step: 'launch' })
 */
export function keyPairName(spec: CheckedLaunch, tags: TagContext): string {
  const kp = spec.keyPair
  const given = 'create' in kp ? kp.create.name : 'import' in kp ? kp.import.name : kp.existing.name
  return given ?? securityGroupName(spec.name, tags)
}

/**
 * Refuses, before anything is created, to write a new key over an existing file (unless
 * the key pair is being adopted from an earlier attempt, whose file it is).
 * @example
 * precheckKeyFiles(spec, tags, found)
 */
export function precheckKeyFiles(
  spec: CheckedLaunch,
  tags: TagContext,
  found: TaggedResources,
): void {
  if (!('create' in spec.keyPair)) return
  const name = keyPairName(spec, tags)
  if (found.keyPairs.some((k) => k.keyName === name)) return
  checkCreateKeyPair({ ...spec.keyPair.create, name, path: keyFile(spec, name) })
}

/**
 * Creates, imports, adopts or looks up the launch's key pair; returns the key to log in with.
 * @example
 * const { info, privateKey } = await ensureKeyPair(ctx, spec, { found, created, tags })
 */
export async function ensureKeyPair(
  ctx: Ec2Context,
  spec: CheckedLaunch,
  o: EnsureContext,
): Promise<{ info: KeyPairInfo; privateKey: Secret }> {
  const kp = spec.keyPair
  const name = keyPairName(spec, o.tags)
  const adopt = o.found.keyPairs.find((k) => k.keyName === name)
  if ('create' in kp) {
    const path = keyFile(spec, name)
    if (adopt) {
      await access(path).catch(() => {
        throw new FerryError(
          'PRECONDITION',
          `Key pair ${name} from an earlier attempt of this run exists, but its private key file ${path} is gone: delete the key pair (deleteEc2ByRun) or pass keyPair.create.path.`,
        )
      })
      return {
        info: { name, path, created: true },
        privateKey: await loginKey({ privateKeyPath: path }),
      }
    }
    const files = checkCreateKeyPair({ ...kp.create, name, path })
    const made = await createKeyPairWith(
      ctx,
      { ...kp.create, name, tags: spec.tags },
      { files, tags: o.tags },
    )
    o.created.keyNames.push(name)
    o.created.keyFiles.push(...[made.path, made.ppkPath].filter((f): f is string => !!f))
    const { privateKey, ...info } = made
    return { info, privateKey }
  }
  if ('import' in kp) {
    const privateKey = await loginKey(kp.import)
    if (adopt) return { info: { name, created: true }, privateKey }
    const publicKey = kp.import.publicKey ?? publicKeyLine(parsePrivateKey(privateKey), name)
    const info = await importKeyPairWith(ctx, { name, publicKey, tags: spec.tags }, o.tags)
    o.created.keyNames.push(name)
    return { info, privateKey }
  }
  const privateKey = await loginKey(kp.existing)
  const out = await ec2Call(ctx, 'DescribeKeyPairs', (s, ec2) =>
    ec2.send(new s.DescribeKeyPairsCommand({ KeyNames: [name] })),
  ).catch((error: unknown) => {
    if (AwsError.is(error) && error.awsCode === 'InvalidKeyPair.NotFound')
      throw new FerryError('NOT_FOUND', `Key pair ${name} does not exist in ${ctx.region}.`, {
        cause: error,
      })
    throw error
  })
  const found = out.KeyPairs?.[0]
  return {
    info: {
      name,
      ...(found?.KeyPairId ? { keyPairId: found.KeyPairId } : {}),
      ...(found?.KeyFingerprint ? { fingerprint: found.KeyFingerprint } : {}),
      created: false,
    },
    privateKey,
  }
}

/**
 * Creates the launch's own security group, or adopts the one an earlier attempt created.
 * @example
 * const { groupId } = await ensureSecurityGroup(ctx, spec, { found, created, tags, vpcId })
 */
export async function ensureSecurityGroup(
  ctx: Ec2Context,
  spec: CheckedLaunch,
  o: EnsureContext & { vpcId: string },
): Promise<{ groupId: string; created: boolean }> {
  const adopt = o.found.securityGroups.find((g) => !g.vpcId || g.vpcId === o.vpcId)
  if (adopt) return { groupId: adopt.groupId, created: true }
  const groupId = await createSecurityGroupWith(
    ctx,
    createSecurityGroupInput({ name: spec.name, vpcId: o.vpcId, tags: spec.tags }, o.tags),
  )
  o.created.securityGroupIds.push(groupId)
  return { groupId, created: true }
}

function keyFile(spec: CheckedLaunch, name: string): string {
  const path = 'create' in spec.keyPair ? spec.keyPair.create.path : undefined
  return path ?? join(homedir(), '.ssh', `${name}.pem`)
}
