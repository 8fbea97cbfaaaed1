import { execFile } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { renderDockerWrapper } from './docker-wrapper'

const run = promisify(execFile)
const dir = mkdtempSync(join(tmpdir(), 'ferry-wrapper-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// A fake podman that prints its environment and argv, one word per line.
const fake = join(dir, 'podman')
writeFileSync(
  fake,
  '#!/bin/sh\necho "$CONTAINERS_CONF|$CONTAINERS_STORAGE_CONF"\nfor a; do echo "$a"; done\n',
)
chmodSync(fake, 0o755)
const wrapper = join(dir, 'docker')
writeFileSync(
  wrapper,
  renderDockerWrapper({
    podman: fake,
    containersConf: "/lab dir/it's/containers.conf",
    storageConf: '/lab/storage.conf',
    globalValueFlags: ['--log-level', '--root'],
    runValueFlags: ['-e', '--env', '--name', '-p', '--publish', '-v', '--network'],
  }),
)
chmodSync(wrapper, 0o755)

async function argv(...args: string[]): Promise<string[]> {
  const { stdout } = await run(wrapper, args)
  return stdout.trimEnd().split('\n').slice(1)
}

describe('the docker wrapper', () => {
  it('sets the lab config for podman even under sudo', async () => {
    const { stdout } = await run(wrapper, ['ps'])
    expect(stdout.split('\n')[0]).toBe("/lab dir/it's/containers.conf|/lab/storage.conf")
  })

  it('publishes ports without an address on 127.0.0.1', async () => {
    expect(await argv('run', '-d', '-p', '8080:80', 'img')).toEqual([
      'run',
      '-d',
      '-p',
      '127.0.0.1:8080:80',
      'img',
    ])
    expect(await argv('run', '--publish', '80', 'img')).toEqual([
      'run',
      '--publish',
      '127.0.0.1::80',
      'img',
    ])
    expect(await argv('create', '--publish=53:53/udp', 'img')).toEqual([
      'create',
      '--publish=127.0.0.1:53:53/udp',
      'img',
    ])
    expect(await argv('run', '-dp', '8080:80', 'img')).toEqual([
      'run',
      '-d',
      '-p',
      '127.0.0.1:8080:80',
      'img',
    ])
    expect(await argv('run', '-p8080:80', 'img')).toEqual(['run', '-p', '127.0.0.1:8080:80', 'img'])
    expect(await argv('container', 'run', '-p', '1:2', 'img')).toEqual([
      'container',
      'run',
      '-p',
      '127.0.0.1:1:2',
      'img',
    ])
  })

  it('keeps an explicit address', async () => {
    expect(await argv('run', '-p', '0.0.0.0:8080:80', 'img')).toEqual([
      'run',
      '-p',
      '0.0.0.0:8080:80',
      'img',
    ])
    expect(await argv('run', '-p', '[::1]:8080:80', 'img')).toEqual([
      'run',
      '-p',
      '[::1]:8080:80',
      'img',
    ])
  })

  it('skips option values and leaves the container command alone', async () => {
    expect(
      await argv(
        '--log-level',
        'debug',
        'run',
        '--name',
        'x',
        '-e',
        'A=-p',
        '-it',
        'img',
        'sh',
        '-c',
        'nc -p 80',
      ),
    ).toEqual([
      '--log-level',
      'debug',
      'run',
      '--name',
      'x',
      '-e',
      'A=-p',
      '-i',
      '-t',
      'img',
      'sh',
      '-c',
      'nc -p 80',
    ])
    expect(await argv('run', '--network', 'host', 'img', '-p', '1:2')).toEqual([
      'run',
      '--network',
      'host',
      'img',
      '-p',
      '1:2',
    ])
  })

  it('passes other commands through untouched, spaces and quotes included', async () => {
    expect(await argv('exec', 'web', 'sh', '-c', "echo 'a b' -p 1:2")).toEqual([
      'exec',
      'web',
      'sh',
      '-c',
      "echo 'a b' -p 1:2",
    ])
    expect(await argv()).toEqual([])
  })
})
