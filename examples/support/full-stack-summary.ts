// The two summaries full-stack.ts prints: what the deploy made (from its context, the HTTPS
// answers and the run's inventory), and what is left after teardown (nothing, or exit 1).
import type { RunInventory } from 'ferry'
import type { FullStack } from '../full-stack.js'
import { table } from './table.js'

/**
 * Prints what the deploy created and what answered.
 * @example
 * printCreated(await deployFullStack(lab))
 */
export function printCreated(s: FullStack): void {
  const c = s.context
  // 0.0.0.0/0 and ::/0 together are "world"; one entry per port.
  const sources = new Map<string, string[]>()
  for (const r of c.ingress)
    sources.set(`${r.protocol} ${portsOf(r)}`, [
      ...(sources.get(`${r.protocol} ${portsOf(r)}`) ?? []),
      r.source,
    ])
  const rules = [...sources].map(
    ([port, from]) =>
      `${port} from ${from.includes('0.0.0.0/0') && from.includes('::/0') ? 'world' : from.join(' ')}`,
  )
  const rows: string[][] = [
    ['run id', s.runId],
    ['instance', `${c.server.instanceId} (${c.server.region}, ${c.server.instanceType})`],
    ['addresses', `public ${c.server.publicIp ?? '-'}, private ${c.server.privateIp ?? '-'}`],
    ['security group', `${c.server.securityGroupId}: ${rules.join(', ')}`],
    ['key pair', `${c.server.keyPair.name} (private key file 0600)`],
    ...Object.values(c.containers).map((k) => [
      `container ${k.name}`,
      `${k.ports.map((p) => `${p.hostIp}:${p.host} → ${p.container}`).join(', ')} (${k.image})`,
    ]),
    ...(['api', 'www'] as const).map((k) => [
      `https://${s.names[k]}:${s.lab.nginx.httpsPort}`,
      `HTTP ${s.answers[k].status} "${s.answers[k].body.trim()}" (port ${s.ports[k]})`,
    ]),
    [
      'certificate',
      `${c.certificate.domains.join(', ')}; by ${s.answers.api.certificate.issuer}; expires ${c.certificate.notAfter}`,
    ],
    ['snapshot', `${c.snapshot.snapshotId} of ${c.snapshot.volumeId}`],
    [`AMI ${c.ami.region}`, c.ami.imageId],
    ...Object.entries(c.amiCopies).map(([region, id]) => [`AMI ${region} (copy)`, id]),
    [
      'shared with',
      c.amiShares.map((x) => `${x.accountIds.join(', ')} on ${x.imageId} (${x.region})`).join('; '),
    ],
    ['distribution', `${s.distribution.id} (${s.distribution.domainName})`],
    ['invalidation', `${c.invalidation.ids.join(', ')}: ${c.invalidation.paths.join(' ')}`],
    [
      'accelerator',
      `${c.accelerator.dnsName} (${s.acceleratorStatus}, the lab's Global Accelerator)`,
    ],
    ['accelerator IPs', c.accelerator.ipAddresses.join(', ')],
    [
      'accelerator listeners',
      c.accelerator.listeners
        .map(
          (l) =>
            `${l.protocol} ${l.portRanges.map((p) => portsOf({ fromPort: p.from, toPort: p.to })).join(',')}`,
        )
        .join('; '),
    ],
  ]
  console.log('\nWhat the deploy created')
  console.log(table(['what', 'value'], rows))
  console.log(`\ninventory(${s.runId}): found by its ferry:run tag`)
  console.log(inventoryTable(s.created))
}

/**
 * Prints what is left after teardown; says plainly whether anything is.
 * @example
 * const { left, hostLeft } = await removeFullStack(stack)
 * printLeft(stack, left, hostLeft)
 */
export function printLeft(s: FullStack, left: RunInventory, hostLeft: string[]): void {
  console.log(`\nAfter teardown: inventory(${s.runId})`)
  console.log(inventoryTable(left))
  console.log(`on the instance (containers, site, certificate): ${hostLeft.join(', ') || 'none'}`)
  console.log(
    left.total === 0 && hostLeft.length === 0
      ? 'nothing left'
      : `LEFT BEHIND: ${left.total} AWS resources, ${hostLeft.length} on the instance`,
  )
}

/** One row per kind of resource, one column per region; then the accelerators and the total. */
export function inventoryTable(inv: RunInventory): string {
  const regions = Object.keys(inv.regions)
  const kinds = [
    ['instances', 'instances'],
    ['security groups', 'securityGroups'],
    ['key pairs', 'keyPairs'],
    ['AMIs', 'images'],
    ['snapshots', 'snapshots'],
    ['volumes', 'volumes'],
  ] as const
  const cell = (ids: string[]) => (ids.length === 0 ? '-' : ids.join(' '))
  const rows = kinds.map(([label, key]) => [
    label,
    ...regions.map((r) => cell(inv.regions[r]![key])),
  ])
  return [
    table(['resource', ...regions], rows),
    `accelerators (Global Accelerator, us-west-2): ${cell(inv.accelerators.map(short))}`,
    `total: ${inv.total}`,
  ].join('\n')
}

const short = (arn: string) => `…${arn.slice(-12)}`
const portsOf = (r: { fromPort: number; toPort: number }) =>
  r.fromPort === r.toPort ? String(r.fromPort) : `${r.fromPort}-${r.toPort}`
