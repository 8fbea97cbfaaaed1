// The lab's Global Accelerator on the wire: JSON 1.1 requests signed for 'globalaccelerator'
// (X-Amz-Target GlobalAccelerator_V20180706.<Operation>), answered by the state machine of
// accelerators.ts and listeners.ts, one account per scope. "You must specify the US West (Oregon)
// Region to create, update, or otherwise work with accelerators" (API Reference, UpdateAccelerator
// and Welcome): the service's only endpoint is globalaccelerator.us-west-2.amazonaws.com, and a
// request signed for another Region gets what SigV4 answers there, InvalidSignatureException
// "Credential should be scoped to a valid region".
import { awsError, jsonResponse, type AwsResponse } from '../respond'
import type { ServedService } from '../served'
import type { AwsRequest } from '../wire'
import { acceleratorHandlers, type Ec2Read, type GaHandler } from './accelerators'
import {
  GaError,
  gaAccount,
  type GaAccount,
  type LabAccelerator,
  type LabEndpointGroup,
  type LabGaTag,
  type LabListener,
} from './account'
import { listenerHandlers } from './listeners'
import { applyGaPatch, defaultGaSettings, type GaSettings, type GaSettingsPatch } from './settings'

/**
 * The only Region the Global Accelerator API answers in.
 * @example
 * new GlobalAcceleratorClient({ endpoint: lab.aws.endpoint, region: GA_API_REGION })
 */
export const GA_API_REGION = 'us-west-2'

/** One request the lab's Global Accelerator answered. */
export interface LabGaCall {
  operation: string
  /** The request's JSON. */
  input: Record<string, unknown>
  /** The Region the request was signed for. */
  region: string
  status: number
  /** The response's JSON, when it was answered. */
  output?: unknown
  /** The exception name, when it was refused. */
  error?: string
}

/** Everything one account holds, as the control API shows it. */
export interface LabGaState {
  accelerators: (LabAccelerator & { status: 'IN_PROGRESS' | 'DEPLOYED' })[]
  listeners: LabListener[]
  endpointGroups: LabEndpointGroup[]
  tags: Record<string, LabGaTag[]>
}

/**
 * The served Global Accelerator: AWS requests, and /_lab/globalaccelerator/{state,calls,settings,reset}.
 * @example
 * const ga = globalAcceleratorService({ ec2 })
 * const response = await ga.handle(request)
 */
export function globalAcceleratorService(o: { ec2: Ec2Read; now?: () => number }): ServedService {
  const now = o.now ?? Date.now
  const settings = new Map<string, GaSettings>()
  const settingsOf = (scope: string) =>
    settings.get(scope) ?? settings.get('') ?? defaultGaSettings()
  const accounts = new Map<
    string,
    { account: GaAccount; handlers: Record<string, GaHandler>; calls: LabGaCall[] }
  >()
  const accountOf = (scope: string) => {
    let entry = accounts.get(scope)
    if (!entry) {
      const account = gaAccount({ now, settings: () => settingsOf(scope) })
      const handlers = {
        ...acceleratorHandlers(account, o.ec2),
        ...listenerHandlers(account, o.ec2),
      }
      accounts.set(scope, (entry = { account, handlers, calls: [] }))
    }
    return entry
  }
  // The control API names the lab's default credentials '' (as strictAwsScope does).
  const keyOf = (scope: string) => scope || 'testing'

  async function handle(request: AwsRequest): Promise<AwsResponse> {
    const { account, handlers, calls } = accountOf(request.scope)
    const call: LabGaCall = {
      operation: request.operation,
      input: request.json,
      region: request.region,
      status: 200,
    }
    calls.push(call)
    try {
      if (account.rule('region') && request.region !== GA_API_REGION)
        throw new GaError(
          'InvalidSignatureException',
          `Credential should be scoped to a valid region, not '${request.region}'. Global Accelerator's API is in ${GA_API_REGION} only.`,
          403,
        )
      const handler = handlers[request.operation]
      // AWS's common error for an operation a service does not have (Common Errors, API Reference).
      if (!handler)
        throw new GaError(
          'InvalidAction',
          `The lab's Global Accelerator does not model ${request.operation || 'this request'}; it models ${Object.keys(handlers).join(', ')}.`,
        )
      call.output = await handler(request.json)
      return jsonResponse(call.output)
    } catch (e) {
      if (!(e instanceof GaError)) throw e
      call.status = e.status
      call.error = e.code
      return awsError(request, { code: e.code, message: e.message, status: e.status })
    }
  }

  function control(c: { method: string; route: string; scope: string; body: unknown }): unknown {
    const key = keyOf(c.scope)
    switch (`${c.method} ${c.route}`) {
      case 'GET state':
        return stateOf(accountOf(key).account)
      case 'GET calls':
        return accountOf(key).calls
      case 'GET settings':
        return settingsOf(c.scope)
      case 'POST settings': {
        const next = applyGaPatch(settingsOf(c.scope), c.body as GaSettingsPatch)
        settings.set(c.scope, next)
        return next
      }
      case 'POST reset':
        settings.delete(c.scope)
        accounts.delete(key)
        return { ok: true }
      default:
        return undefined
    }
  }

  return { service: 'globalaccelerator', handle, control }
}

function stateOf(account: GaAccount): LabGaState {
  return {
    accelerators: [...account.accelerators.values()].map((a) => ({
      ...a,
      status: account.status(a),
    })),
    listeners: [...account.listeners.values()],
    endpointGroups: [...account.groups.values()],
    tags: Object.fromEntries(account.tags),
  }
}
