import { describe, expect, it } from 'vitest'
import { createKeyPairInput, importKeyPairInput } from './key-pair.js'
import { runInstancesInput } from './launch-input.js'
import { createSecurityGroupInput, securityGroupName } from './security-group.js'

const tags = [
  { Key: 'Name', Value: 'web' },
  { Key: 'ferry:run', Value: 'r1' },
  { Key: 'ferry:step', Value: 'launch' },
]

describe('runInstancesInput', () => {
  const plan = {
    name: 'web',
    imageId: 'ami-0123456789abcdef0',
    instanceType: 't3.micro',
    count: 2,
    keyName: 'web-key',
    securityGroupId: 'sg-0123456789abcdef0',
    rootDeviceName: '/dev/xvda',
    userData: '#!/bin/bash\necho hi\n',
    clientToken: 'token-1',
  }

  it('requires IMDSv2, encrypts a gp3 root volume, tags instance and volumes, sets the ClientToken', () => {
    expect(runInstancesInput(plan, { runId: 'r1', step: 'launch' })).toEqual({
      ImageId: 'ami-0123456789abcdef0',
      InstanceType: 't3.micro',
      MinCount: 2,
      MaxCount: 2,
      KeyName: 'web-key',
      SecurityGroupIds: ['sg-0123456789abcdef0'],
      ClientToken: 'token-1',
      MetadataOptions: {
        HttpTokens: 'required',
        HttpEndpoint: 'enabled',
        HttpPutResponseHopLimit: 2,
      },
      BlockDeviceMappings: [
        {
          DeviceName: '/dev/xvda',
          Ebs: { VolumeSize: 16, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true },
        },
      ],
      UserData: 'IyEvYmluL2Jhc2gKZWNobyBoaQo=',
      TagSpecifications: [
        { ResourceType: 'instance', Tags: tags },
        { ResourceType: 'volume', Tags: tags },
      ],
    })
  })

  it('adds subnet, KMS key, IOPS/throughput and extra tags; omits user data when there is none', () => {
    const input = runInstancesInput(
      {
        ...plan,
        count: 1,
        userData: undefined,
        subnetId: 'subnet-0123456789abcdef0',
        rootDeviceName: '/dev/sda1',
        rootVolume: { sizeGiB: 30, kmsKeyId: 'alias/ebs', iops: 4000, throughputMiBps: 250 },
        tags: { team: 'web' },
      },
      { runId: 'r1', step: 'launch' },
    )
    expect(input.SubnetId).toBe('subnet-0123456789abcdef0')
    expect(input.UserData).toBeUndefined()
    expect(input.BlockDeviceMappings).toEqual([
      {
        DeviceName: '/dev/sda1',
        Ebs: {
          VolumeSize: 30,
          VolumeType: 'gp3',
          Encrypted: true,
          DeleteOnTermination: true,
          KmsKeyId: 'alias/ebs',
          Iops: 4000,
          Throughput: 250,
        },
      },
    ])
    expect(input.TagSpecifications?.[0]?.Tags).toEqual([...tags, { Key: 'team', Value: 'web' }])
  })
})

describe('security group and key pair inputs', () => {
  it('names the group per run and step and creates it with no rules', () => {
    const name = securityGroupName('web', { runId: 'r1', step: 'launch' })
    expect(name).toMatch(/^ferry-web-[0-9a-f]{8}$/)
    expect(securityGroupName('web', { runId: 'r2', step: 'launch' })).not.toBe(name)
    expect(
      createSecurityGroupInput(
        { name: 'web', vpcId: 'vpc-0123456789abcdef0' },
        { runId: 'r1', step: 'launch' },
      ),
    ).toEqual({
      GroupName: name,
      Description: 'ferry web server web (run r1)',
      VpcId: 'vpc-0123456789abcdef0',
      TagSpecifications: [{ ResourceType: 'security-group', Tags: tags }],
    })
  })

  it('creates ed25519 PEM key pairs by default, tagged; imports public keys as bytes', () => {
    expect(createKeyPairInput({ name: 'web' }, { runId: 'r1', step: 'launch' })).toEqual({
      KeyName: 'web',
      KeyType: 'ed25519',
      KeyFormat: 'pem',
      TagSpecifications: [{ ResourceType: 'key-pair', Tags: tags }],
    })
    const imported = importKeyPairInput(
      { name: 'web', publicKey: 'ssh-ed25519 AAAA me\n' },
      { runId: 'r1', step: 'launch' },
    )
    expect(Buffer.from(imported.PublicKeyMaterial!).toString()).toBe('ssh-ed25519 AAAA me')
    expect(imported.TagSpecifications).toEqual([{ ResourceType: 'key-pair', Tags: tags }])
  })
})
