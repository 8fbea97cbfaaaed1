import { describe, expect, it } from 'vitest'
import { ValidationError } from '@ferry/core'
import { amiQuery, checkAmiSpec, distroOf, newestImage, sshUserFor } from './ami.js'

const common = [
  { Name: 'state', Values: ['available'] },
  { Name: 'root-device-type', Values: ['ebs'] },
  { Name: 'virtualization-type', Values: ['hvm'] },
]

describe('amiQuery', () => {
  it('asks Amazon for standard (not minimal) AL2023 images of the architecture', () => {
    expect(amiQuery({ distro: 'al2023', architecture: 'arm64' })).toEqual({
      Owners: ['amazon'],
      Filters: [
        { Name: 'name', Values: ['al2023-ami-2023.*-arm64'] },
        { Name: 'architecture', Values: ['arm64'] },
        ...common,
      ],
    })
  })

  it('asks Canonical for Ubuntu LTS server images, 24.04 by default, amd64 for x86_64', () => {
    expect(amiQuery({ distro: 'ubuntu', architecture: 'x86_64' })).toEqual({
      Owners: ['099720109477'],
      Filters: [
        { Name: 'name', Values: ['ubuntu/images/*/ubuntu-*-24.04-amd64-server-*'] },
        { Name: 'architecture', Values: ['x86_64'] },
        ...common,
      ],
    })
    expect(
      amiQuery({ distro: 'ubuntu', release: '22.04', architecture: 'arm64' }).Filters?.[0],
    ).toEqual({
      Name: 'name',
      Values: ['ubuntu/images/*/ubuntu-*-22.04-arm64-server-*'],
    })
  })
})

describe('newestImage', () => {
  it('picks the latest CreationDate, then the highest name', () => {
    const images = [
      { ImageId: 'ami-a', CreationDate: '2024-01-01T00:00:00.000Z', Name: 'x-20240101' },
      { ImageId: 'ami-b', CreationDate: '2024-06-01T00:00:00.000Z', Name: 'x-20240601' },
      { ImageId: 'ami-c', CreationDate: '2024-06-01T00:00:00.000Z', Name: 'x-20240602' },
      { ImageId: 'ami-d', Name: 'x-20990101' },
    ]
    expect(newestImage(images)?.ImageId).toBe('ami-c')
    expect(newestImage([])).toBeUndefined()
  })
})

describe('distroOf / sshUserFor', () => {
  it('recognises AL2023 and Ubuntu names and their login users', () => {
    expect(distroOf('al2023-ami-2023.12.20260930.0-kernel-6.1-x86_64')).toBe('al2023')
    expect(distroOf('ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20240801')).toBe(
      'ubuntu',
    )
    expect(distroOf('amzn2-ami-hvm-2.0.20180810-x86_64-gp2')).toBe('unknown')
    expect(sshUserFor('al2023')).toBe('ec2-user')
    expect(sshUserFor('ubuntu')).toBe('ubuntu')
  })
})

describe('checkAmiSpec', () => {
  it('accepts ids and distributions, refuses the rest naming the field', () => {
    expect(checkAmiSpec('ami-0123456789abcdef0')).toBe('ami-0123456789abcdef0')
    expect(checkAmiSpec({ distro: 'ubuntu', release: '24.04' })).toEqual({
      distro: 'ubuntu',
      release: '24.04',
    })
    const field = (spec: unknown) => {
      try {
        checkAmiSpec(spec)
      } catch (e) {
        return ValidationError.is(e) ? e.field : 'not a ValidationError'
      }
      return 'accepted'
    }
    expect(field('ami-xyz')).toBe('ami')
    expect(field({ distro: 'debian' })).toBe('ami')
    expect(field({ distro: 'ubuntu', release: '23.10' })).toBe('ami.release')
    expect(field({ distro: 'ubuntu', release: '23.04' })).toBe('ami.release')
    expect(field({ distro: 'al2023', release: '24.04' })).toBe('ami.release')
    expect(field({ distro: 'al2023', architecture: 'i386' })).toBe('ami.architecture')
  })
})
