// EC2 key pairs: create one (the private key saved 0600, optionally also as PuTTY .ppk),
// import an existing public key, or delete one. Inputs are pure builders.
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { CreateKeyPairCommandInput, ImportKeyPairCommandInput } from '@aws-sdk/client-ec2'
import {
  AwsError,
  ferryTags,
  RUN_TAG,
  Secret,
  STEP_TAG,
  validate,
  ValidationError,
} from '@ferry/core'
import { assertKeyFileFree, keyPath, writeKeyFile } from './key-file.js'
import { toPpk } from './ppk.js'
import { ec2Call, ec2Context, type Ec2Context, type Ec2Options } from './sdk.js'
import { parsePrivateKey, publicKeyLine } from './ssh-key.js'
import { rm } from 'node:fs/promises'

/** Key algorithms EC2 creates. */
export type KeyType = 'ed25519' | 'rsa'

/** Where a created key goes. */
export interface CreateKeyPairInput {
  name: string
  /** Default 'ed25519'. */
  type?: KeyType
  /** The private key file (mode 0600); default `~/.ssh/<name>.pem`. */
  path?: string
  /** Replace an existing file at `path` (or `ppkPath`). Default false: an existing file is refused. */
  overwrite?: boolean
  /** Also write the key in PuTTY's .ppk format (v3, unencrypted, mode 0600) here. */
  ppkPath?: string
  /** Extra tags besides Name / ferry:run / ferry:step. */
  tags?: Record<string, string>
}

/** A key pair ferry created, imported or was given. */
export interface KeyPairInfo {
  name: string
  keyPairId?: string
  fingerprint?: string
  /** The private key file, when ferry wrote or was given one. */
  path?: string
  ppkPath?: string
  /** Whether this run created the key pair (so undo/terminate may delete it). */
  created: boolean
}

/** Tagging context: the run and step that create a resource. */
export interface TagContext {
  runId?: string
  step?: string
}

/**
 * The CreateKeyPair input: PEM key material, tagged.
 * @example
 * createKeyPairInput({ name: 'web' }, { runId: 'r1', step: 'launch' })
 */
export function createKeyPairInput(
  input: Pick<CreateKeyPairInput, 'name' | 'type' | 'tags'>,
  tags: TagContext = {},
): CreateKeyPairCommandInput {
  return {
    KeyName: input.name,
    KeyType: input.type ?? 'ed25519',
    KeyFormat: 'pem',
    TagSpecifications: [
      {
        ResourceType: 'key-pair',
        Tags: ferryTags({ ...tags, name: input.name, extra: input.tags }),
      },
    ],
  }
}

/**
 * Validates a create request and returns the absolute file paths, refusing existing files.
 * @example
 * checkCreateKeyPair({ name: 'web', path: './web.pem' })
 */
export function checkCreateKeyPair(input: CreateKeyPairInput): { path: string; ppkPath?: string } {
  validate.resourceName(input.name, 'keyPair.name', 255)
  if (input.type !== undefined && input.type !== 'ed25519' && input.type !== 'rsa')
    throw new ValidationError({
      field: 'keyPair.type',
      value: input.type,
      allowed: "'ed25519' or 'rsa'",
    })
  const path = assertKeyFileFree(
    keyPath(input.path ?? join(homedir(), '.ssh', `${input.name}.pem`), 'keyPair.path'),
    input,
  )
  const ppkPath =
    input.ppkPath === undefined
      ? undefined
      : assertKeyFileFree(keyPath(input.ppkPath, 'keyPair.ppkPath'), input)
  if (ppkPath === path)
    throw new ValidationError({
      field: 'keyPair.ppkPath',
      value: ppkPath,
      allowed: 'a path other than the PEM file',
    })
  return { path, ...(ppkPath ? { ppkPath } : {}) }
}

/**
 * Creates an EC2 key pair and saves its private key with mode 0600 (and as .ppk if asked).
 * If saving fails, the key pair is deleted again: nothing is left half-done.
 * @example
 * const key = await createKeyPair({ name: 'web', path: './web.pem', ppkPath: './web.ppk' }, { aws: { region: 'eu-west-1' } })
 */
export async function createKeyPair(
  input: CreateKeyPairInput,
  options: Ec2Options & TagContext = {},
): Promise<KeyPairInfo & { privateKey: Secret }> {
  const files = checkCreateKeyPair(input)
  return createKeyPairWith(await ec2Context(options), input, { files, tags: options })
}

/**
 * createKeyPair on a resolved context (used by launchWebServer).
 * @example
 * await createKeyPairWith(ctx, { name: 'web' }, { files: { path: '/tmp/web.pem' }, tags: {} })
 */
export async function createKeyPairWith(
  ctx: Ec2Context,
  input: CreateKeyPairInput,
  o: { files: { path: string; ppkPath?: string }; tags: TagContext },
): Promise<KeyPairInfo & { privateKey: Secret }> {
  const create = () =>
    ec2Call(ctx, 'CreateKeyPair', (s, ec2) =>
      ec2.send(new s.CreateKeyPairCommand(createKeyPairInput(input, o.tags))),
    )
  const out = await create().catch(async (error: unknown) => {
    // The SDK retried a create whose answer (and with it the only copy of the private key) was
    // lost: the pair is there with this run's tags but can never be used. Delete it, make it again.
    if (!(AwsError.is(error) && error.awsCode === 'InvalidKeyPair.Duplicate')) throw error
    if (!(await isOwnKeyPair(ctx, input.name, o.tags))) throw error
    ctx.emit({
      type: 'info',
      message: `Key pair ${input.name} was created but its answer (the private key) was lost; deleting it and creating it again.`,
    })
    await deleteKeyPairWith(ctx, input.name)
    return create()
  })
  const material = new Secret(out.KeyMaterial ?? '')
  const written: string[] = []
  try {
    written.push(await writeKeyFile(o.files.path, material, input))
    if (o.files.ppkPath)
      written.push(
        await writeKeyFile(
          o.files.ppkPath,
          new Secret(toPpk(material, { comment: input.name })),
          input,
        ),
      )
  } catch (error) {
    await deleteKeyPairWith(ctx, input.name)
    // Only files this call created are removed; with overwrite the old file is already gone.
    for (const file of written) await rm(file, { force: true })
    throw error
  }
  ctx.emit({
    type: 'info',
    message: `Created key pair ${input.name}; private key saved to ${o.files.path} (0600).`,
  })
  // Knowing its file, a journal stores a reference to the key, not the key.
  const privateKey = new Secret(material.reveal(), { file: written[0] })
  return {
    name: input.name,
    ...(out.KeyPairId ? { keyPairId: out.KeyPairId } : {}),
    ...(out.KeyFingerprint ? { fingerprint: out.KeyFingerprint } : {}),
    path: o.files.path,
    ...(o.files.ppkPath ? { ppkPath: o.files.ppkPath } : {}),
    created: true,
    privateKey,
  }
}

/**
 * The ImportKeyPair input for an OpenSSH public-key line, tagged.
 * @example
 * importKeyPairInput({ name: 'laptop', publicKey: 'ssh-ed25519 AAAA… me@laptop' })
 */
export function importKeyPairInput(
  input: { name: string; publicKey: string; tags?: Record<string, string> },
  tags: TagContext = {},
): ImportKeyPairCommandInput {
  return {
    KeyName: input.name,
    PublicKeyMaterial: Buffer.from(input.publicKey.trim()),
    TagSpecifications: [
      {
        ResourceType: 'key-pair',
        Tags: ferryTags({ ...tags, name: input.name, extra: input.tags }),
      },
    ],
  }
}

/**
 * Imports a public key as an EC2 key pair. Give `publicKey` (an OpenSSH line) or derive it
 * from a private key with `publicKeyLine(parsePrivateKey(pem))`.
 * @example
 * await importKeyPair({ name: 'laptop', publicKey: readFileSync(`${home}/.ssh/id_ed25519.pub`, 'utf8') })
 */
export async function importKeyPair(
  input: { name: string; publicKey: string; tags?: Record<string, string> },
  options: Ec2Options & TagContext = {},
): Promise<KeyPairInfo> {
  checkImport(input)
  return importKeyPairWith(await ec2Context(options), input, options)
}

/**
 * importKeyPair on a resolved context.
 * @example
 * await importKeyPairWith(ctx, { name: 'laptop', publicKey }, { runId: 'r1' })
 */
export async function importKeyPairWith(
  ctx: Ec2Context,
  input: { name: string; publicKey: string; tags?: Record<string, string> },
  tags: TagContext,
): Promise<KeyPairInfo> {
  const out = await ec2Call(ctx, 'ImportKeyPair', (s, ec2) =>
    ec2.send(new s.ImportKeyPairCommand(importKeyPairInput(input, tags))),
  )
  return {
    name: input.name,
    ...(out.KeyPairId ? { keyPairId: out.KeyPairId } : {}),
    ...(out.KeyFingerprint ? { fingerprint: out.KeyFingerprint } : {}),
    created: true,
  }
}

/**
 * Validates an import request.
 * @example
 * checkImport({ name: 'laptop', publicKey: 'ssh-ed25519 AAAA…' })
 */
export function checkImport(input: { name: string; publicKey: string }): void {
  validate.resourceName(input.name, 'keyPair.name', 255)
  if (
    typeof input.publicKey !== 'string' ||
    // EC2 imports RSA and ED25519 keys only, not ECDSA ("Create a key pair ... and import
    // the public key": https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-key-pairs.html).
    !/^(ssh-ed25519|ssh-rsa) [A-Za-z0-9+/]+=*( .*)?$/.test(input.publicKey.trim())
  )
    throw new ValidationError({
      field: 'keyPair.publicKey',
      value: String(input.publicKey).slice(0, 40),
      allowed:
        'an OpenSSH ssh-ed25519 or ssh-rsa public key line such as "ssh-ed25519 AAAA… comment" (EC2 does not import ECDSA keys)',
    })
}

/**
 * Deletes a key pair by name; a missing key pair is not an error.
 * @example
 * await deleteKeyPair('web', { aws: { region: 'eu-west-1' } })
 */
export async function deleteKeyPair(name: string, options: Ec2Options = {}): Promise<void> {
  validate.resourceName(name, 'keyPair.name', 255)
  await deleteKeyPairWith(await ec2Context(options), name)
}

/**
 * deleteKeyPair on a resolved context.
 * @example
 * await deleteKeyPairWith(ctx, 'web')
 */
export async function deleteKeyPairWith(ctx: Ec2Context, name: string): Promise<void> {
  await ec2Call(ctx, 'DeleteKeyPair', (s, ec2) =>
    ec2.send(new s.DeleteKeyPairCommand({ KeyName: name })),
  ).catch((error: unknown) => {
    if (!(AwsError.is(error) && error.awsCode === 'InvalidKeyPair.NotFound')) throw error
  })
}

/**
 * The OpenSSH public-key line of a private key (to import the key you log in with).
 * @example
 * publicKeyOf(readFileSync('web.pem', 'utf8'), 'web')
 */
export function publicKeyOf(privateKey: string | Secret, comment?: string): string {
  return publicKeyLine(parsePrivateKey(privateKey), comment)
}

// True when the pair of that name carries exactly this run's and step's tags.
async function isOwnKeyPair(ctx: Ec2Context, name: string, tags: TagContext): Promise<boolean> {
  if (!tags.runId) return false
  const out = await ec2Call(ctx, 'DescribeKeyPairs', (s, ec2) =>
    ec2.send(new s.DescribeKeyPairsCommand({ KeyNames: [name] })),
  )
  const found = new Map((out.KeyPairs?.[0]?.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']))
  return (
    found.get(RUN_TAG) === tags.runId &&
    (tags.step === undefined || found.get(STEP_TAG) === tags.step)
  )
}
