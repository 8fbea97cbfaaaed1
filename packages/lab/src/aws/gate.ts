// Security groups, enforced on the way into an instance. "A security group acts as a virtual
// firewall ... controls the traffic that is allowed to reach ... the resources that it is
// associated with"; inbound traffic is denied unless a rule allows it, and "when you add or
// remove rules, the changes are automatically applied" — AWS, "Security groups for your VPC" /
// "Security group rules" (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html,
// https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html).
// Each instance gets an address of its own on loopback (127.10.x.y) with the lab's ports for 22,
// 80 and 443; every new connection is checked against the instance's groups as they are NOW
// (read from moto), from the lab's caller address. A refused connection is held open without a
// byte, as a dropped SYN looks to a client: nothing answers until its own timeout.
import { writeFileSync, renameSync } from 'node:fs'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { xmlValues, type AwsResponse } from './respond'

/** The instance ports the lab stands in for, and where each goes. */
export type GatePort = 22 | 80 | 443

/** Where an instance is reachable in the lab. */
export interface GateInstance {
  instanceId: string
  region: string
  /** Its own loopback address. */
  address: string
}

/** One connection decision, for tests and the lab's log. */
export interface GateDecision {
  instanceId: string
  port: GatePort
  caller: string
  allowed: boolean
  reason: string
  at: string
}

/** What the gate needs. */
export interface GateOptions {
  /** The lab's ports that answer for 22, 80, 443 on every instance address. */
  listen: Record<GatePort, number>
  /** Where an allowed connection goes (sshd, nginx http, nginx https) on 127.0.0.1. */
  targets: Record<GatePort, number>
  /** Reads instances and rules from moto directly. */
  ec2: (region: string, params: Record<string, string>) => Promise<AwsResponse>
  /** The file labHost reads to find an instance's address. */
  instancesFile: string
  /** The address connections come from, as the instance sees it ("you"). */
  caller: () => string
  /** Whether the rule is on (per the default scope). */
  enabled: () => boolean
}

/**
 * The security-group gate: addresses per instance, checked at each connection.
 * @example
 * const gate = createGate({ listen, targets, ec2, instancesFile, caller: () => '198.51.100.10', enabled: () => true })
 * await gate.add('i-0abc', 'us-east-1')
 */
export function createGate(o: GateOptions) {
  const instances = new Map<string, GateInstance>()
  const servers: Server[] = []
  const decisions: GateDecision[] = []
  const held = new Set<Socket>()
  let next = 1

  const save = () => {
    const tmp = `${o.instancesFile}.tmp`
    writeFileSync(
      tmp,
      JSON.stringify({ ports: o.listen, instances: [...instances.values()] }, null, 2),
    )
    renameSync(tmp, o.instancesFile)
  }

  async function add(instanceId: string, region: string): Promise<void> {
    if (instances.has(instanceId)) return
    const n = next++
    const address = `127.10.${(n >> 8) & 255}.${n & 255}`
    const entry: GateInstance = { instanceId, region, address }
    instances.set(instanceId, entry)
    await Promise.all(
      ([22, 80, 443] as const).map((port) =>
        listen(address, o.listen[port], (socket) => void admit(entry, port, socket)),
      ),
    )
    save()
  }

  async function admit(entry: GateInstance, port: GatePort, socket: Socket): Promise<void> {
    socket.pause()
    socket.on('error', () => undefined)
    const caller = o.caller()
    let verdict: { allowed: boolean; reason: string }
    try {
      verdict = o.enabled()
        ? await allows(o.ec2, entry, { port, caller })
        : { allowed: true, reason: 'security-group rule off' }
    } catch (e) {
      verdict = { allowed: false, reason: `could not read the instance: ${String(e)}` }
    }
    decisions.push({
      instanceId: entry.instanceId,
      port,
      caller,
      ...verdict,
      at: new Date().toISOString(),
    })
    if (!verdict.allowed) {
      // Held without a byte until the client gives up (or 5 minutes), like a dropped SYN.
      held.add(socket)
      const drop = () => {
        held.delete(socket)
        socket.destroy()
      }
      socket.once('close', drop)
      socket.setTimeout(300_000, drop)
      return
    }
    const upstream = createConnection({ host: '127.0.0.1', port: o.targets[port] })
    upstream.on('error', () => socket.destroy())
    socket.on('close', () => upstream.destroy())
    upstream.on('close', () => socket.destroy())
    socket.pipe(upstream).pipe(socket)
    socket.resume()
  }

  function listen(address: string, port: number, onSocket: (s: Socket) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer(onSocket)
      server.once('error', reject)
      server.listen(port, address, () => {
        servers.push(server)
        resolve()
      })
    })
  }

  return {
    add,
    instances,
    decisions,
    close: async () => {
      for (const s of held) s.destroy()
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
    },
  }
}

/** The gate's handle. */
export type Gate = ReturnType<typeof createGate>

// Allowed when the instance runs and one of its groups has an ingress rule for the port whose
// CIDR holds the caller (protocol tcp or all).
async function allows(
  ec2: GateOptions['ec2'],
  entry: GateInstance,
  { port, caller }: { port: GatePort; caller: string },
): Promise<{ allowed: boolean; reason: string }> {
  const described = (
    await ec2(entry.region, { Action: 'DescribeInstances', 'InstanceId.1': entry.instanceId })
  ).body.toString('utf8')
  const state = /<instanceState>[\s\S]*?<name>([^<]*)<\/name>/.exec(described)?.[1]
  if (state !== 'running') return { allowed: false, reason: `instance is ${state ?? 'gone'}` }
  const groups = [...new Set(xmlValues(described, 'groupId'))]
  const params: Record<string, string> = {
    Action: 'DescribeSecurityGroupRules',
    'Filter.1.Name': 'group-id',
  }
  groups.forEach((g, i) => (params[`Filter.1.Value.${i + 1}`] = g))
  const text = (await ec2(entry.region, params)).body.toString('utf8')
  for (const chunk of text.split('<securityGroupRuleId>').slice(1)) {
    const field = (tag: string) => xmlValues(chunk, tag)[0]
    if (field('isEgress') === 'true') continue
    const protocol = field('ipProtocol')
    const from = Number(field('fromPort') ?? -1)
    const to = Number(field('toPort') ?? -1)
    const portOk = protocol === '-1' || (protocol === 'tcp' && from <= port && port <= to)
    const cidr = field('cidrIpv4') ?? field('cidrIpv6')
    if (portOk && cidr && cidrContains(cidr, caller))
      return { allowed: true, reason: `${field('groupId') ?? 'a group'} allows ${cidr} on ${port}` }
  }
  return {
    allowed: false,
    reason: `no ingress rule of ${groups.join(', ') || 'its groups'} allows ${caller} on ${port}`,
  }
}

/**
 * True when an IPv4 or IPv6 CIDR holds the address.
 * @example
 * cidrContains('198.51.100.0/24', '198.51.100.10') // true
 */
export function cidrContains(cidr: string, address: string): boolean {
  const [base = '', bitsText] = cidr.split('/')
  const a = toBigInt(base)
  const b = toBigInt(address)
  if (!a || !b || a.width !== b.width) return false
  const bits = BigInt(bitsText === undefined ? a.width : Number(bitsText))
  const shift = BigInt(a.width) - bits
  return a.value >> shift === b.value >> shift
}

function toBigInt(ip: string): { value: bigint; width: number } | undefined {
  if (ip.includes('.') && !ip.includes(':')) {
    const parts = ip.split('.').map(Number)
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
      return undefined
    return { value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n), width: 32 }
  }
  if (!ip.includes(':')) return undefined
  const [head = '', tail = ''] = ip.split('::')
  const h = head ? head.split(':') : []
  const t = ip.includes('::') ? (tail ? tail.split(':') : []) : []
  const groups = ip.includes('::')
    ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
    : h
  if (groups.length !== 8) return undefined
  return {
    value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n),
    width: 128,
  }
}
