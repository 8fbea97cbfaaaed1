// What launchWebServer returns: a core ServerRef with everything EC2 knows about the server,
// plus a Host that connects on first use.
import type { Instance } from '@aws-sdk/client-ec2'
import type {
  BatchFile,
  Command,
  Host,
  RunOptions,
  RunResult,
  Secret,
  ServerLogin,
  ServerRef,
  WriteFileOptions,
} from '@ferry/core'
import type { Distro } from './ami.js'
import type { KeyPairInfo } from './key-pair.js'

/** A launched web server. JSON-safe except `host`, which is not enumerable. */
export interface WebServer extends ServerRef {
  name: string
  instanceId: string
  region: string
  availabilityZone: string
  publicIp?: string
  publicDns?: string
  privateIp: string
  instanceType: string
  imageId: string
  distro: Distro | 'unknown'
  vpcId?: string
  subnetId?: string
  securityGroupId: string
  /** Whether this launch created the security group (so terminate/undo may delete it). */
  securityGroupCreated: boolean
  keyPair: KeyPairInfo
  ssh: ServerLogin
  /** SHA256 fingerprint of the host key the server presented (when SSH was reached). */
  hostKeyFingerprint?: string
  /** The run id its resources are tagged with (`ferry:run`), for deleteEc2ByRun. */
  runId: string
  /** An SSH host for this server that connects on first use; close it when done. */
  readonly host: Host
}

/** The fields of a WebServer that come from DescribeInstances. */
export type InstanceFacts = Pick<
  WebServer,
  | 'instanceId'
  | 'availabilityZone'
  | 'publicIp'
  | 'publicDns'
  | 'privateIp'
  | 'instanceType'
  | 'imageId'
  | 'vpcId'
  | 'subnetId'
>

/**
 * The WebServer fields EC2 reports for an instance.
 * @example
 * instanceFacts(reservation.Instances[0]).publicIp
 */
export function instanceFacts(instance: Instance): InstanceFacts {
  return {
    instanceId: instance.InstanceId ?? '',
    availabilityZone: instance.Placement?.AvailabilityZone ?? '',
    ...(instance.PublicIpAddress ? { publicIp: instance.PublicIpAddress } : {}),
    ...(instance.PublicDnsName ? { publicDns: instance.PublicDnsName } : {}),
    privateIp: instance.PrivateIpAddress ?? '',
    instanceType: instance.InstanceType ?? '',
    imageId: instance.ImageId ?? '',
    ...(instance.VpcId ? { vpcId: instance.VpcId } : {}),
    ...(instance.SubnetId ? { subnetId: instance.SubnetId } : {}),
  }
}

/**
 * Attaches a lazily connecting `host` (not enumerable: JSON and journals skip it).
 * @example
 * const server = withHost(data, () => createSshHost(sshTargetOf(data)))
 */
export function withHost<T extends { name: string }>(
  data: T,
  open: () => Promise<Host> | Host,
): T & { readonly host: Host } {
  return Object.defineProperty(data, 'host', {
    value: new LazyHost(data.name, open),
    enumerable: false,
  }) as T & { readonly host: Host }
}

/** A Host that opens the real one on first use and re-opens it after close. */
class LazyHost implements Host {
  #host: Promise<Host> | undefined
  constructor(
    readonly name: string,
    readonly open: () => Promise<Host> | Host,
  ) {}

  #get(): Promise<Host> {
    this.#host ??= Promise.resolve(this.open()).catch((error: unknown) => {
      this.#host = undefined
      throw error
    })
    return this.#host
  }

  async run(command: Command, options?: RunOptions): Promise<RunResult> {
    return (await this.#get()).run(command, options)
  }
  async writeFile(
    path: string,
    data: string | Buffer | Secret,
    options?: WriteFileOptions & { signal?: AbortSignal },
  ): Promise<void> {
    return (await this.#get()).writeFile(path, data, options)
  }
  async writeFiles(
    files: readonly BatchFile[],
    options?: { sudo?: boolean; signal?: AbortSignal },
  ): Promise<void> {
    return (await this.#get()).writeFiles(files, options)
  }
  async readFile(path: string, options?: { sudo?: boolean }): Promise<Buffer> {
    return (await this.#get()).readFile(path, options)
  }
  async exists(path: string, options?: { sudo?: boolean }): Promise<boolean> {
    return (await this.#get()).exists(path, options)
  }
  async close(): Promise<void> {
    const host = this.#host
    this.#host = undefined
    if (host) await (await host.catch(() => undefined))?.close()
  }
}
