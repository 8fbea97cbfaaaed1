// The lab's Global Accelerator on the wire, through the real SDK client at lab.aws.endpoint: an
// accelerator's life in JSON 1.1, the clock it deploys by, paging, scopes as accounts, faults,
// and the region rule (the API answers only in us-west-2).
import { spawnSync } from 'node:child_process'
import {
  CreateAcceleratorCommand,
  CreateEndpointGroupCommand,
  CreateListenerCommand,
  DescribeEndpointGroupCommand,
  GlobalAcceleratorClient,
  ListAcceleratorsCommand,
  ListCustomRoutingAcceleratorsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-global-accelerator'
import { describe, expect, it } from 'vitest'
import { labEnv } from '../src/index'
import { labInfo } from '../src/vitest'
import { deployed, gaScope, outcome, statusOf } from './ga-helpers'

const lab = labInfo()

describe('Global Accelerator on the wire', () => {
  it('walks an accelerator through its life: JSON 1.1, epoch-second times, IN_PROGRESS by the clock', async () => {
    const ga = await gaScope('life', 400)
    const c = ga.client
    const before = Date.now()
    const { Accelerator: created } = await c.send(
      new CreateAcceleratorCommand({
        Name: 'web',
        IdempotencyToken: 'tok-1',
        Tags: [{ Key: 'ferry:run', Value: 'run-1' }],
      }),
    )
    expect(created).toMatchObject({ Name: 'web', Enabled: true, Status: 'IN_PROGRESS' })
    expect(created!.DnsName).toMatch(/^a[0-9a-f]{16}\.awsglobalaccelerator\.com$/)
    expect(created!.CreatedTime).toBeInstanceOf(Date)
    expect(created!.CreatedTime!.getTime()).toBeGreaterThanOrEqual(before - 1000)
    const arn = created!.AcceleratorArn!
    // Reading the status does not move it: only the lab's clock does.
    expect([await statusOf(c, arn), await statusOf(c, arn), await statusOf(c, arn)]).toEqual([
      'IN_PROGRESS',
      'IN_PROGRESS',
      'IN_PROGRESS',
    ])
    await deployed(c, arn)
    expect(Date.now() - before).toBeGreaterThanOrEqual(400)

    await c.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'a' }] }))
    await c.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'b' }] }))
    await c.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['nothing'] }))
    expect((await c.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'ferry:run', Value: 'run-1' },
      { Key: 'team', Value: 'b' },
    ])
    expect(await statusOf(c, arn)).toBe('DEPLOYED') // tags are no deployment

    const { Listener } = await c.send(
      new CreateListenerCommand({
        AcceleratorArn: arn,
        Protocol: 'TCP',
        PortRanges: [{ FromPort: 80, ToPort: 80 }],
      }),
    )
    expect(await statusOf(c, arn)).toBe('IN_PROGRESS')
    expect(
      await outcome(
        c.send(
          new CreateListenerCommand({
            AcceleratorArn: arn,
            Protocol: 'TCP',
            PortRanges: [{ FromPort: 79, ToPort: 81 }],
          }),
        ),
      ),
    ).toBe('InvalidPortRangeException')
    const { EndpointGroup } = await c.send(
      new CreateEndpointGroupCommand({
        ListenerArn: Listener!.ListenerArn,
        EndpointGroupRegion: 'eu-west-1',
        EndpointConfigurations: [{ EndpointId: 'i-0123456789abcdef0', Weight: 200 }],
        TrafficDialPercentage: 50,
        HealthCheckProtocol: 'HTTP',
        HealthCheckPath: '/healthz',
      }),
    )
    expect(
      (
        await c.send(
          new DescribeEndpointGroupCommand({ EndpointGroupArn: EndpointGroup!.EndpointGroupArn }),
        )
      ).EndpointGroup,
    ).toMatchObject({
      EndpointGroupRegion: 'eu-west-1',
      TrafficDialPercentage: 50,
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: '/healthz',
      EndpointDescriptions: [
        { EndpointId: 'i-0123456789abcdef0', Weight: 200, ClientIPPreservationEnabled: true },
      ],
    })
    const state = await ga.state()
    expect([
      state.accelerators.length,
      state.listeners.length,
      state.endpointGroups.length,
    ]).toEqual([1, 1, 1])
    expect((await ga.calls()).every((call) => call.region === 'us-west-2')).toBe(true)
  })

  it('pages lists one item at a time unless MaxResults says otherwise', async () => {
    const { client: c } = await gaScope('paging')
    for (const name of ['a', 'b', 'c']) await c.send(new CreateAcceleratorCommand({ Name: name }))
    const first = await c.send(new ListAcceleratorsCommand({}))
    expect([first.Accelerators!.map((a) => a.Name), first.NextToken]).toEqual([['a'], '1'])
    const rest = await c.send(new ListAcceleratorsCommand({ NextToken: '1', MaxResults: 10 }))
    expect([rest.Accelerators!.map((a) => a.Name), rest.NextToken]).toEqual([['b', 'c'], undefined])
  })

  it('keeps each scope an account of its own, and says what it does not model', async () => {
    const one = await gaScope('account-1')
    const two = await gaScope('account-2')
    await one.client.send(new CreateAcceleratorCommand({ Name: 'mine' }))
    expect((await two.client.send(new ListAcceleratorsCommand({}))).Accelerators).toEqual([])
    expect(await outcome(two.client.send(new ListCustomRoutingAcceleratorsCommand({})))).toBe(
      'InvalidAction',
    )
    // The SDK fills in an IdempotencyToken when none is given (the member's idempotencyToken trait).
    expect(await one.calls()).toEqual([
      expect.objectContaining({
        operation: 'CreateAccelerator',
        input: { Name: 'mine', IdempotencyToken: expect.stringMatching(/^[0-9a-f-]{36}$/) },
        region: 'us-west-2',
        status: 200,
      }),
    ])
  })

  it("takes the layer's faults: an injected error never reaches it, a lost response was carried out", async () => {
    const ga = await gaScope('faults')
    await ga.strict.inject({
      operation: 'CreateAccelerator',
      fault: { code: 'LimitExceededException', message: 'too many accelerators' },
    })
    expect(await outcome(ga.client.send(new CreateAcceleratorCommand({ Name: 'x' })))).toBe(
      'LimitExceededException',
    )
    expect((await ga.state()).accelerators).toEqual([])
    await ga.strict.inject({ operation: 'CreateAccelerator', fault: 'lose-response' })
    expect(await outcome(ga.client.send(new CreateAcceleratorCommand({ Name: 'y' })))).toBe(
      'InternalError',
    )
    expect((await ga.state()).accelerators.map((a) => a.name)).toEqual(['y'])

    // The SDK's own retry resends the token it filled in: the original comes back, no second one.
    const retrying = new GlobalAcceleratorClient({ ...ga.aws, region: 'us-west-2', maxAttempts: 3 })
    await ga.strict.inject({ operation: 'CreateAccelerator', fault: 'lose-response' })
    const { Accelerator } = await retrying.send(new CreateAcceleratorCommand({ Name: 'z' }))
    const state = await ga.state()
    expect(state.accelerators.map((a) => [a.name, a.arn])).toEqual([
      ['y', state.accelerators[0]!.arn],
      ['z', Accelerator!.AcceleratorArn],
    ])
    retrying.destroy()
  })

  it('answers every process that signs for globalaccelerator at lab.aws.endpoint, another process too (AWS_ENDPOINT_URL, no patched SDK)', async () => {
    const ga = await gaScope('other-process')
    await ga.client.send(new CreateAcceleratorCommand({ Name: 'seen-elsewhere' }))
    const script = `
      const { GlobalAcceleratorClient, ListAcceleratorsCommand } = await import('@aws-sdk/client-global-accelerator')
      const c = new GlobalAcceleratorClient({ region: 'us-west-2', credentials: { accessKeyId: process.argv[1], secretAccessKey: 'testing' } })
      const out = await c.send(new ListAcceleratorsCommand({ MaxResults: 10 }))
      process.stdout.write(out.Accelerators.map((a) => a.Name).join(','))`
    const child = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', script, ga.aws.credentials.accessKeyId],
      {
        env: { ...process.env, ...labEnv(lab) },
        encoding: 'utf8',
        cwd: new URL('..', import.meta.url).pathname,
      },
    )
    expect(child.stderr).not.toMatch(/Error/)
    expect(child.stdout).toBe('seen-elsewhere')
  })
})

describe('rule: the API answers only in us-west-2', () => {
  const elsewhere = (accessKeyId: string, region: string) =>
    new GlobalAcceleratorClient({
      endpoint: lab.aws.endpoint,
      region,
      credentials: { accessKeyId, secretAccessKey: 'testing' },
      maxAttempts: 1,
    })

  it('refuses a client signing for another Region as SigV4 does (InvalidSignatureException)', async () => {
    const ga = await gaScope('region')
    const eu = elsewhere(ga.aws.credentials.accessKeyId, 'eu-west-1')
    const error = await eu.send(new ListAcceleratorsCommand({})).catch((e: Error) => e)
    expect(error).toMatchObject({ name: 'InvalidSignatureException' })
    expect((error as Error).message).toMatch(/scoped to a valid region, not 'eu-west-1'/)
    expect((await ga.calls()).at(-1)).toMatchObject({ region: 'eu-west-1', status: 403 })
    eu.destroy()
  })

  it('answers it with the rule off (the kinder stand-in did)', async () => {
    const ga = await gaScope('region-off')
    await ga.configure({ rules: { region: false } })
    const eu = elsewhere(ga.aws.credentials.accessKeyId, 'eu-west-1')
    expect(await outcome(eu.send(new ListAcceleratorsCommand({})))).toBe('ok')
    eu.destroy()
  })
})
