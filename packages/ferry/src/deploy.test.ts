import { describe, expect, test } from 'vitest'
import { deploy } from './deploy.js'

describe('deploy().plan()', () => {
  test('lists every step’s calls and commands, with placeholders for values of earlier steps, making none', () => {
    const plan = deploy({
      runId: 'plan-run',
      aws: { region: 'ap-south-1', endpoint: 'http://127.0.0.1:9' },
    })
      .launchWebServer({ name: 'web' })
      .openPorts()
      .runContainer({ name: 'api', image: 'acme/api:1', ports: { 8080: 80 } })
      .configureReverseProxy({ routes: { 'api.example.com': 8080 } })
      .snapshotVolume()
      .createAmi()
      .plan()
    expect(plan.map((p) => p.step)).toEqual([
      'launchWebServer',
      'openPorts',
      'runContainer:api',
      'configureReverseProxy',
      'snapshotVolume',
      'createAmi',
    ])
    for (const p of plan) {
      expect(Array.isArray(p.entries), p.step).toBe(true)
      expect(p.entries.length, p.step).toBeGreaterThan(0)
    }
    const text = JSON.stringify(plan)
    expect(text).toContain('RunInstances')
    expect(text).toContain('AuthorizeSecurityGroupIngress')
    expect(text).toContain('{{server.')
    // A placeholder server names its group's path, not a placeholder inside a placeholder.
    const ingress = plan.find((p) => p.step === 'openPorts')!.entries[0]!
    expect(ingress).toMatchObject({ input: { GroupId: '{{server.securityGroupId}}' } })
    expect(text).not.toContain('{{{{')
    const remote = plan.flatMap((p) => p.entries).filter((e) => e.kind === 'remote')
    expect(remote.some((e) => e.kind === 'remote' && /docker|run/.test(e.command))).toBe(true)
    expect(remote.some((e) => e.kind === 'remote' && /nginx/.test(e.command))).toBe(true)
  })
})
