import { describe, expect, it } from 'vitest'
import { render, Secret } from '@ferry/core'
import { checkContainer } from './container-spec.js'
import { dockerCommands, dockerRun, envFileText, parsePorts } from './docker-argv.js'

const spec = checkContainer({
  name: 'api',
  image: 'ghcr.io/acme/api:1.4',
  ports: { 8080: 3000, 8443: 3443 },
  env: { MODE: 'prod', TOKEN: new Secret('s3cret-token') },
  command: ['node', 'server.js'],
  labels: { team: 'web' },
})

describe('dockerRun', () => {
  it('runs detached with a restart policy, loopback ports, the env file and labels', () => {
    expect(dockerRun('docker', spec, { name: 'api', envFile: '/run/ferry/api.x.env' })).toEqual([
      'docker',
      'run',
      '-d',
      '--name',
      'api',
      '--restart',
      'unless-stopped',
      '-p',
      '127.0.0.1:8080:3000/tcp',
      '-p',
      '127.0.0.1:8443:3443/tcp',
      '--env-file',
      '/run/ferry/api.x.env',
      '--label',
      'ferry.managed=true',
      '--label',
      'team=web',
      'ghcr.io/acme/api:1.4',
      'node',
      'server.js',
    ])
  })

  it('never puts environment values on the command line', () => {
    const line = render(dockerRun('docker', spec, { name: 'api', envFile: '/run/ferry/e' }), {
      reveal: true,
    })
    expect(line).not.toContain('s3cret-token')
    expect(line).not.toContain('MODE=prod')
  })

  it('publishes a probe on random loopback ports without a restart policy', () => {
    expect(
      dockerRun('/opt/lab/bin/docker', spec, { name: 'api-ferry-probe', probe: true }),
    ).toEqual([
      '/opt/lab/bin/docker',
      'run',
      '-d',
      '--name',
      'api-ferry-probe',
      '--restart',
      'no',
      '-p',
      '127.0.0.1::3000/tcp',
      '-p',
      '127.0.0.1::3443/tcp',
      '--label',
      'ferry.managed=true',
      '--label',
      'team=web',
      'ghcr.io/acme/api:1.4',
      'node',
      'server.js',
    ])
  })

  it('names a cidfile and refuses to pull when asked (the fast path)', () => {
    const argv = dockerRun('docker', spec, {
      name: 'api',
      cidFile: '/run/ferry/api.1a.cid',
      pull: 'never',
    })
    expect(argv.slice(0, 7)).toEqual([
      'docker',
      'run',
      '-d',
      '--name',
      'api',
      '--cidfile=/run/ferry/api.1a.cid',
      '--pull=never',
    ])
    expect(argv.slice(7)).toEqual(dockerRun('docker', spec, { name: 'api' }).slice(5))
  })

  it("binds all interfaces only with publish: 'all'; adds --init and udp", () => {
    const c = checkContainer({
      name: 'dns',
      image: 'coredns/coredns',
      ports: [{ host: 53, container: 53, protocol: 'udp' }],
      publish: 'all',
      init: true,
      restart: 'always',
    })
    expect(dockerRun('docker', c, { name: 'dns' })).toEqual([
      'docker',
      'run',
      '-d',
      '--name',
      'dns',
      '--restart',
      'always',
      '--init',
      '-p',
      '0.0.0.0:53:53/udp',
      '--label',
      'ferry.managed=true',
      'coredns/coredns',
    ])
  })
})

describe('other commands', () => {
  it('builds exact argv', () => {
    expect(dockerCommands.state('docker', 'api')).toEqual([
      'docker',
      'container',
      'inspect',
      '--format',
      '{{.State.Status}} {{.Id}}',
      'api',
    ])
    expect(dockerCommands.stop('docker', 'api', 5)).toEqual(['docker', 'stop', '-t', 5, 'api'])
    expect(dockerCommands.rename('docker', 'api', 'api-ferry-old')).toEqual([
      'docker',
      'rename',
      'api',
      'api-ferry-old',
    ])
    expect(dockerCommands.remove('docker', 'api')).toEqual(['docker', 'rm', '-f', 'api'])
    expect(dockerCommands.imageId('docker', 'nginx:1')).toEqual([
      'docker',
      'image',
      'inspect',
      '--format',
      '{{.Id}}',
      'nginx:1',
    ])
    expect(dockerCommands.logs('docker', 'api', 20)).toEqual([
      'docker',
      'logs',
      '--tail',
      20,
      'api',
    ])
  })

  it('writes the env file as a Secret, one KEY=value per line', () => {
    const text = envFileText(spec.env)
    expect(Secret.is(text)).toBe(true)
    expect(String(text)).toBe('[REDACTED]')
    expect(text.reveal()).toBe('MODE=prod\nTOKEN=s3cret-token\n')
  })

  it('parses docker port output, IPv4 and IPv6', () => {
    expect(parsePorts('80/tcp -> 127.0.0.1:8080\n53/udp -> [::]:5353\nnoise\n')).toEqual([
      { container: 80, protocol: 'tcp', hostIp: '127.0.0.1', host: 8080 },
      { container: 53, protocol: 'udp', hostIp: '::', host: 5353 },
    ])
  })
})
