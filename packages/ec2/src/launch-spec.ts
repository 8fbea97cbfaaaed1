// What launchWebServer takes, and its validation: every field is checked before any AWS call.
import { RUN_TAG, STEP_TAG, validate, ValidationError, type Secret } from '@ferry/core'
import { checkAmiSpec, type AmiSpec } from './ami.js'
import {
  instanceType as checkType,
  intIn,
  subnetId as checkSubnet,
  vpcId as checkVpc,
} from './ids.js'
import { checkImport, type CreateKeyPairInput } from './key-pair.js'
import { keyPath } from './key-file.js'
import type { RootVolume } from './launch-input.js'
import { READY_LEVELS, type HostKeyMode, type ReadyLevel } from './readiness.js'
import { MAX_USER_DATA_BYTES } from './user-data.js'
import { checkPorts, type Source } from './ingress.js'

/** Which key pair the server gets. Default `{ create: {} }`. */
export type KeyPairSpec =
  | { create: Partial<CreateKeyPairInput> }
  | {
      /** Import your public key; give the private key (text or file) to log in with. */
      import: {
        name?: string
        publicKey?: string
        privateKey?: string | Secret
        privateKeyPath?: string
      }
    }
  | { existing: { name: string; privateKey?: string | Secret; privateKeyPath?: string } }

/** A web server to launch. */
export interface LaunchWebServerInput {
  /** The Name tag, and the base of the security group and key pair names. */
  name: string
  /** Default 't3.micro'. */
  instanceType?: string
  /** Default the newest Amazon Linux 2023 image for the instance type's architecture. */
  ami?: AmiSpec
  /** How many identical servers; default 1. */
  count?: number
  keyPair?: KeyPairSpec
  /** Default: the default VPC (and a subnet EC2 picks in it). */
  vpcId?: string
  subnetId?: string
  rootVolume?: RootVolume
  /**
   * First-boot script. Default: install and enable nginx and docker for the distribution; an
   * object picks which; a string replaces it; false sends none.
   */
  userData?: string | false | { nginx?: boolean; docker?: boolean }
  /** Default by distribution: ec2-user (Amazon Linux), ubuntu (Ubuntu). */
  sshUser?: string
  sshPort?: number
  /** How the SSH host key is verified; default 'console'. */
  hostKey?: HostKeyMode
  /** How far to wait; default 'cloud-init' (the top of the ladder). */
  ready?: ReadyLevel
  /**
   * Who may reach SSH, opened on the launch's own new group before the SSH rung (a new group
   * has no ingress: on AWS nothing would answer). Default 'me' (your address only); false
   * opens nothing (then `ready` must stop below 'ssh', or SSH must be reachable another way).
   * openPorts adds the rest (443, 80) and keeps this rule.
   */
  sshFrom?: Source | Source[] | false
  /** Extra tags on everything created. */
  tags?: Record<string, string>
}

/** The validated input with defaults applied. */
export type CheckedLaunch = Required<
  Pick<
    LaunchWebServerInput,
    'name' | 'instanceType' | 'count' | 'keyPair' | 'hostKey' | 'ready' | 'tags'
  >
> &
  Omit<
    LaunchWebServerInput,
    'name' | 'instanceType' | 'count' | 'keyPair' | 'hostKey' | 'ready' | 'tags'
  > & {
    ami: AmiSpec
    sshPort: number
  }

/**
 * Validates a launch and applies defaults; throws a ValidationError naming the field.
 * @example
 * checkLaunchInput({ name: 'web', count: 2 }).instanceType // 't3.micro'
 */
export function checkLaunchInput(input: LaunchWebServerInput): CheckedLaunch {
  if (typeof input !== 'object' || input === null)
    throw new ValidationError({
      field: 'input',
      value: input,
      allowed: 'an object with at least { name }',
    })
  const name = validate.resourceName(input.name, 'name', 64)
  const checked: CheckedLaunch = {
    ...input,
    name,
    instanceType: checkType(input.instanceType ?? 't3.micro'),
    ami: checkAmiSpec(input.ami ?? { distro: 'al2023' }),
    count: intIn(input.count ?? 1, { field: 'count', min: 1, max: 20 }),
    keyPair: checkKeyPairSpec(input.keyPair ?? { create: {} }),
    hostKey: checkHostKey(input.hostKey ?? 'console'),
    ready: checkReady(input.ready ?? 'cloud-init'),
    tags: checkTags(input.tags ?? {}),
    sshPort: validate.port(input.sshPort ?? 22, 'sshPort'),
  }
  if (checked.sshFrom !== false) checkSshFrom(checked.sshFrom ?? 'me', checked.sshPort)
  else if (READY_LEVELS.indexOf(checked.ready) >= READY_LEVELS.indexOf('ssh'))
    // The launch's own group would have no way in: the SSH rung would wait for nothing.
    throw new ValidationError({
      field: 'sshFrom',
      value: false,
      allowed: `SSH sources while ready is '${checked.ready}' (or ready: 'running' | 'status-ok' with sshFrom: false)`,
    })
  if (input.vpcId !== undefined) checkVpc(input.vpcId, 'vpcId')
  if (input.subnetId !== undefined) checkSubnet(input.subnetId, 'subnetId')
  if (
    input.sshUser !== undefined &&
    (typeof input.sshUser !== 'string' || !/^[a-z_][a-z0-9_-]{0,31}$/.test(input.sshUser))
  )
    throw new ValidationError({
      field: 'sshUser',
      value: input.sshUser,
      allowed: 'a Unix user name such as ec2-user',
    })
  checkRootVolume(input.rootVolume)
  checkUserData(input.userData)
  return checked
}

function checkKeyPairSpec(spec: KeyPairSpec): KeyPairSpec {
  const loginKey = (o: { privateKey?: unknown; privateKeyPath?: unknown }, field: string) => {
    if (o.privateKey === undefined && o.privateKeyPath === undefined)
      throw new ValidationError({
        field,
        value: o,
        allowed: 'privateKey or privateKeyPath: the key to log in with',
      })
    if (o.privateKeyPath !== undefined) keyPath(o.privateKeyPath, `${field}.privateKeyPath`)
  }
  if ('create' in spec) {
    const c = spec.create
    if (c.name !== undefined) validate.resourceName(c.name, 'keyPair.create.name', 255)
    if (c.type !== undefined && c.type !== 'ed25519' && c.type !== 'rsa')
      throw new ValidationError({
        field: 'keyPair.create.type',
        value: c.type,
        allowed: "'ed25519' or 'rsa'",
      })
    if (c.path !== undefined) keyPath(c.path, 'keyPair.create.path')
    if (c.ppkPath !== undefined) keyPath(c.ppkPath, 'keyPair.create.ppkPath')
    return spec
  }
  if ('import' in spec) {
    const i = spec.import
    if (i.name !== undefined) validate.resourceName(i.name, 'keyPair.import.name', 255)
    if (i.publicKey !== undefined) checkImport({ name: i.name ?? 'key', publicKey: i.publicKey })
    loginKey(i, 'keyPair.import')
    return spec
  }
  if ('existing' in spec) {
    validate.resourceName(spec.existing.name, 'keyPair.existing.name', 255)
    loginKey(spec.existing, 'keyPair.existing')
    return spec
  }
  throw new ValidationError({
    field: 'keyPair',
    value: spec,
    allowed: '{ create }, { import } or { existing }',
  })
}

function checkHostKey(mode: HostKeyMode): HostKeyMode {
  if (mode === 'console' || mode === 'trust-on-first-use') return mode
  if (
    typeof mode === 'object' &&
    mode !== null &&
    ('fingerprint' in mode || 'publicKey' in mode || 'knownHosts' in mode)
  )
    return mode
  throw new ValidationError({
    field: 'hostKey',
    value: mode,
    allowed:
      "'console', 'trust-on-first-use', { fingerprint }, { publicKey } or { knownHosts } (use 'trust-on-first-use' rather than acceptAny: it pins the key it first sees)",
  })
}

function checkReady(level: ReadyLevel): ReadyLevel {
  if (!READY_LEVELS.includes(level))
    throw new ValidationError({ field: 'ready', value: level, allowed: READY_LEVELS.join(', ') })
  return level
}

function checkTags(tags: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(tags)) {
    if (
      !key ||
      key.length > 128 ||
      key.startsWith('aws:') ||
      [RUN_TAG, STEP_TAG, 'Name'].includes(key)
    )
      throw new ValidationError({
        field: `tags.${key}`,
        value: key,
        allowed: `a tag key of 1–128 characters, not aws:*, Name, ${RUN_TAG} or ${STEP_TAG}`,
      })
    if (typeof value !== 'string' || value.length > 256)
      throw new ValidationError({
        field: `tags.${key}`,
        value,
        allowed: 'a string of at most 256 characters',
      })
  }
  return tags
}

function checkRootVolume(root: RootVolume | undefined): void {
  if (root === undefined) return
  if (root.sizeGiB !== undefined)
    intIn(root.sizeGiB, { field: 'rootVolume.sizeGiB', min: 1, max: 16_384 })
  if (root.iops !== undefined)
    intIn(root.iops, { field: 'rootVolume.iops', min: 3000, max: 16_000 })
  if (root.throughputMiBps !== undefined)
    intIn(root.throughputMiBps, { field: 'rootVolume.throughputMiBps', min: 125, max: 1000 })
  if (
    root.kmsKeyId !== undefined &&
    (typeof root.kmsKeyId !== 'string' || !/^[A-Za-z0-9:/_-]{1,2048}$/.test(root.kmsKeyId))
  )
    throw new ValidationError({
      field: 'rootVolume.kmsKeyId',
      value: root.kmsKeyId,
      allowed: 'a KMS key id, alias or ARN',
    })
}

function checkUserData(userData: LaunchWebServerInput['userData']): void {
  if (userData === undefined || userData === false) return
  if (typeof userData === 'string') {
    if (Buffer.byteLength(userData) > MAX_USER_DATA_BYTES)
      throw new ValidationError({
        field: 'userData',
        value: `${Buffer.byteLength(userData)} bytes`,
        allowed: `at most ${MAX_USER_DATA_BYTES} bytes`,
      })
    return
  }
  if (typeof userData !== 'object' || userData === null)
    throw new ValidationError({
      field: 'userData',
      value: userData,
      allowed: 'a script, false, or { nginx?, docker? }',
    })
}

// The launch's SSH sources are an openPorts `ssh` entry, refused under the launch's own name.
function checkSshFrom(from: Source | Source[], sshPort: number): void {
  try {
    checkPorts({ ssh: from, https: false, http: false }, { sshPort })
  } catch (error) {
    if (!ValidationError.is(error)) throw error
    throw new ValidationError({
      field: 'sshFrom',
      value: from,
      allowed: error.allowed,
      cause: error,
    })
  }
}
