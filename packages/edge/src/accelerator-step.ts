// The pipeline step around `createAccelerator`: endpoints default to the servers of earlier
// steps, tokens come from the run, and undo deletes the accelerator.
import { defineStep, serversOf, type PlanEntry, type ServerRef, type Step } from '@ferry/core'
import {
  createAccelerator,
  type AcceleratorEndpointGroup,
  type AcceleratorListener,
} from './accelerator-create.js'
import { deleteAccelerator } from './accelerator-delete.js'
import { endpointsFromServers, type EndpointInput } from './accelerator-endpoints.js'
import {
  createAcceleratorRequest,
  createEndpointGroupRequest,
  createListenerRequest,
  tokenPurpose,
} from './accelerator-requests.js'
import { acceleratorSpec, type CreateAcceleratorInput } from './accelerator-spec.js'
import { acceleratorClient } from './clients.js'

/** What the step needs: servers from earlier steps, unless the input names its endpoints. */
export interface AcceleratorNeeds {
  server?: ServerRef
  servers?: readonly ServerRef[]
}

/** What the step adds to the context. */
export interface AcceleratorOutput {
  accelerator: {
    arn: string
    dnsName: string
    ipAddresses: string[]
    listeners: AcceleratorListener[]
    endpointGroups: AcceleratorEndpointGroup[]
  }
}

const GA = 'GlobalAccelerator'

/**
 * A step that puts a Global Accelerator (us-west-2 API) in front of the run's servers, or of
 * `input.endpoints`. Undo deletes it (its static IPs are then lost). Input is checked when the
 * step is created.
 * @example
 * pipeline({ aws: { region: 'ap-south-1' } })
 *   .use(launchWebServerStep({ name: 'web', instanceType: 't3.micro' }))
 *   .use(createAcceleratorStep({ name: 'web', listeners: [{ ports: [80, 443] }] }))
 */
export function createAcceleratorStep(
  input: CreateAcceleratorInput,
): Step<AcceleratorNeeds, AcceleratorOutput> {
  acceleratorSpec(
    withEndpoints(input, [{ instanceId: '{{server.instanceId}}', region: '{{server.region}}' }]),
    {
      placeholders: input.endpoints === undefined,
    },
  )
  return defineStep<AcceleratorNeeds, AcceleratorOutput>({
    name: 'createAccelerator',
    async run(ctx, env) {
      const endpoints = input.endpoints ?? endpointsFromServers(serversOf(ctx))
      const acc = await createAccelerator(withEndpoints(input, endpoints), {
        globalAccelerator: await acceleratorClient({ env }),
        onEvent: env.onEvent,
        signal: env.signal,
        clock: env.clock,
        runId: env.runId,
        step: env.step,
        token: (purpose) => env.token(purpose),
        journal: env,
      })
      const { arn, dnsName, ipAddresses, listeners, endpointGroups } = acc
      return { accelerator: { arn, dnsName, ipAddresses, listeners, endpointGroups } }
    },
    async undo(ctx, env) {
      const r = await deleteAccelerator(ctx.accelerator.arn, {
        globalAccelerator: await acceleratorClient({ env }),
        onEvent: env.onEvent,
        signal: env.signal,
        clock: env.clock,
      })
      if (!r.deleted) return `Accelerator ${r.arn} was already gone.`
      return `Deleted accelerator ${r.arn}; its static IPs ${r.releasedIpAddresses.join(', ')} are released.`
    },
    plan(ctx, env) {
      const endpoints =
        input.endpoints ??
        serversOf(ctx).map((s) => ({
          instanceId: s.instanceId ?? '{{server.instanceId}}',
          region: s.region ?? '{{server.region}}',
        }))
      const spec = acceleratorSpec(withEndpoints(input, endpoints), { placeholders: true })
      const token = (purpose: string) => env.token(purpose)
      const entries: PlanEntry[] = [
        {
          kind: 'aws',
          service: GA,
          operation: 'CreateAccelerator',
          input: createAcceleratorRequest(spec, {
            token: token(tokenPurpose.accelerator(spec.name)),
            runId: env.runId,
            step: env.step,
          }),
        },
      ]
      spec.listeners.forEach((listener, i) => {
        const listenerInput = createListenerRequest(
          '{{accelerator.arn}}',
          listener,
          token(tokenPurpose.listener(spec.name, i)),
        )
        entries.push({
          kind: 'aws',
          service: GA,
          operation: 'CreateListener',
          input: listenerInput,
        })
        for (const group of spec.endpointGroups) {
          const groupToken = token(tokenPurpose.endpointGroup(spec.name, i, group.region))
          const groupInput = createEndpointGroupRequest(
            `{{accelerator.listeners[${i}].arn}}`,
            group,
            groupToken,
          )
          entries.push({
            kind: 'aws',
            service: GA,
            operation: 'CreateEndpointGroup',
            input: groupInput,
          })
        }
      })
      if (spec.wait)
        entries.push({ kind: 'note', text: 'Poll DescribeAccelerator (us-west-2) until DEPLOYED.' })
      return entries
    },
  })
}

function withEndpoints(
  input: CreateAcceleratorInput,
  fallback: readonly EndpointInput[],
): CreateAcceleratorInput {
  return { ...input, endpoints: input.endpoints ?? fallback }
}
