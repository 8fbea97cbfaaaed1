// Helpers of the lab's Global Accelerator tests: a scope per test, the exception name a call
// ends in, the wait until DEPLOYED by the lab's clock, and the usual accelerator with a
// listener and an endpoint group.
import {
  CreateAcceleratorCommand,
  CreateEndpointGroupCommand,
  CreateListenerCommand,
  DescribeAcceleratorCommand,
  type GlobalAcceleratorClient,
} from '@aws-sdk/client-global-accelerator'
import { afterAll } from 'vitest'
import { createLabGlobalAccelerator, uniqueName, type LabGlobalAccelerator } from '../src/index'
import { labInfo } from '../src/vitest'

const opened: LabGlobalAccelerator[] = []
afterAll(() => opened.forEach((ga) => ga.close()))

/** A Global Accelerator scope of its own, deploying in `deployMs`. */
export async function gaScope(name: string, deployMs = 300): Promise<LabGlobalAccelerator> {
  const ga = await createLabGlobalAccelerator(labInfo().aws, uniqueName(`ga-${name}`))
  await ga.configure({ deployMs })
  opened.push(ga)
  return ga
}

/** 'ok', or the name of the exception the call failed with. */
export const outcome = (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => 'ok',
    (e: { name?: string }) => e.name,
  )

/** The accelerator's status now. */
export const statusOf = async (c: GlobalAcceleratorClient, arn: string) =>
  (await c.send(new DescribeAcceleratorCommand({ AcceleratorArn: arn }))).Accelerator!.Status

/** Polls (every 20 ms, for up to 10 s of the lab's clock) until the accelerator is DEPLOYED. */
export async function deployed(c: GlobalAcceleratorClient, arn: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await statusOf(c, arn)) === 'DEPLOYED') return
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`accelerator ${arn} did not deploy`)
}

/** An accelerator with one TCP listener on 80 and one endpoint group, all DEPLOYED. */
export async function acceleratorWithGroup(
  c: GlobalAcceleratorClient,
  o: { region?: string; endpointId?: string } = {},
) {
  const { Accelerator } = await c.send(new CreateAcceleratorCommand({ Name: 'web' }))
  const arn = Accelerator!.AcceleratorArn!
  const { Listener } = await c.send(
    new CreateListenerCommand({
      AcceleratorArn: arn,
      Protocol: 'TCP',
      PortRanges: [{ FromPort: 80, ToPort: 80 }],
    }),
  )
  const { EndpointGroup } = await c.send(
    new CreateEndpointGroupCommand({
      ListenerArn: Listener!.ListenerArn,
      EndpointGroupRegion: o.region ?? 'eu-west-1',
      EndpointConfigurations: [{ EndpointId: o.endpointId ?? 'i-0123456789abcdef0' }],
    }),
  )
  await deployed(c, arn)
  return {
    arn,
    listenerArn: Listener!.ListenerArn!,
    groupArn: EndpointGroup!.EndpointGroupArn!,
  }
}
