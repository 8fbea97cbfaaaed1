import { describe, expect, it } from 'vitest'
import {
  createAcceleratorRequest,
  createEndpointGroupRequest,
  createListenerRequest,
  tokenPurpose,
} from './accelerator-requests.js'
import { acceleratorSpec } from './accelerator-spec.js'

const spec = acceleratorSpec({
  name: 'web',
  enabled: false,
  tags: { env: 'prod' },
  listeners: [{ protocol: 'UDP', ports: ['3000-3010'], clientAffinity: 'SOURCE_IP' }],
  endpoints: [
    {
      instanceId: 'i-0123456789abcdef0',
      region: 'eu-west-1',
      weight: 7,
      clientIpPreservation: false,
    },
  ],
  endpointGroups: {
    'eu-west-1': {
      healthCheck: { protocol: 'TCP', port: 22, intervalSeconds: 30, thresholdCount: 5 },
    },
  },
})

describe('Global Accelerator requests', () => {
  it('CreateAccelerator carries the token and ferry tags', () => {
    expect(createAcceleratorRequest(spec, { token: 'tok', runId: 'r1', step: 's1' })).toEqual({
      Name: 'web',
      IpAddressType: 'IPV4',
      Enabled: false,
      IdempotencyToken: 'tok',
      Tags: [
        { Key: 'Name', Value: 'web' },
        { Key: 'ferry:run', Value: 'r1' },
        { Key: 'ferry:step', Value: 's1' },
        { Key: 'env', Value: 'prod' },
      ],
    })
  })

  it('CreateListener maps port ranges', () => {
    expect(createListenerRequest('arn:acc', spec.listeners[0]!, 'tok-l')).toEqual({
      AcceleratorArn: 'arn:acc',
      Protocol: 'UDP',
      PortRanges: [{ FromPort: 3000, ToPort: 3010 }],
      ClientAffinity: 'SOURCE_IP',
      IdempotencyToken: 'tok-l',
    })
  })

  it('CreateEndpointGroup maps endpoints and health checks, omitting what is unset', () => {
    expect(createEndpointGroupRequest('arn:l', spec.endpointGroups[0]!, 'tok-g')).toEqual({
      ListenerArn: 'arn:l',
      EndpointGroupRegion: 'eu-west-1',
      EndpointConfigurations: [
        { EndpointId: 'i-0123456789abcdef0', Weight: 7, ClientIPPreservationEnabled: false },
      ],
      HealthCheckProtocol: 'TCP',
      HealthCheckPort: 22,
      HealthCheckIntervalSeconds: 30,
      ThresholdCount: 5,
      IdempotencyToken: 'tok-g',
    })
  })

  it('token purposes differ per accelerator, listener and region', () => {
    expect([
      tokenPurpose.accelerator('a'),
      tokenPurpose.listener('a', 1),
      tokenPurpose.endpointGroup('a', 1, 'eu-west-1'),
    ]).toEqual([
      'accelerator:a',
      'accelerator:a:listener:1',
      'accelerator:a:listener:1:endpoint-group:eu-west-1',
    ])
  })
})
