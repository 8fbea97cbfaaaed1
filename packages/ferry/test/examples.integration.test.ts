// Every script in examples/ runs as its own process against the test lab, exactly as the README
// says to run it, and must exit 0 and print the line that shows it did its job — so the examples
// cannot rot. A new example without an expected line here fails too.
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { lab } from './lab.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const tsx = `${root}node_modules/.bin/tsx`

/** What each example must print on stdout (every pattern), besides exiting 0. */
const expected: Record<string, RegExp[]> = {
  'lab-roundtrip.ts': [/^round trip OK$/m],
  'full-stack.ts': [
    /https:\/\/api\.lab\.test:\d+ +│ HTTP 200 "hello from api"/,
    /https:\/\/www\.lab\.test:\d+ +│ HTTP 200 "hello from www"/,
    /accelerator +│ \S+\.awsglobalaccelerator\.com \(DEPLOYED/,
    /^total: 0$/m,
    /^nothing left$/m,
  ],
  'launch-and-ssh.ts': [/id -un → ferry-deploy$/m, /with sudo → root/],
  'reverse-proxy-two-backends.ts': [
    /^http:\/\/api\.\S+\/ → HTTP 200 hello from api$/m,
    /^http:\/\/www\.\S+\/ → HTTP 200 hello from www$/m,
    /^http:\/\/www\.\S+\/api\/ → HTTP 200 hello from api$/m,
    /changed=false/,
  ],
  'certificate-and-renewal.ts': [
    /→ HTTP 200 "secure hello" \(Pebble Intermediate CA/,
    /renew now: renewed=false/,
    /renew 10 days before expiry: renewed=true/,
  ],
  'golden-ami-regions.ts': [
    /│ us-west-1 +│ ami-\w+ +│ 111122223333/,
    /│ eu-west-1 +│ ami-\w+ +│ 111122223333/,
    /: 0 resources left$/m,
  ],
  'invalidate-after-deploy.ts': [
    /the origin answers "release v2"/,
    /: COMPLETED, paths \/assets\/\* \/index\.html$/m,
    /same release again: reused=true, charged 0/,
  ],
  'accelerator-two-regions.ts': [
    /is DEPLOYED; static IPs/,
    /│ eu-west-1 +│ i-\w+ \(128\)/,
    /every call went to us-west-2$/m,
    /released for good/,
  ],
  'custom-step.ts': [
    /rolled back: writeBanner, launchWebServer$/m,
    /banner still there: false/,
    /after the rollback: 0 AWS resources/,
  ],
  'resume-after-crash.ts': [
    /attempt 1 died: SIGKILL/,
    /adopted, not duplicated/,
    /attempt 3: launchWebServer skipped, openPorts skipped; 0 AWS calls/,
  ],
  'plan-before-run.ts': [
    /^ {2}EC2 RunInstances /m,
    /^ {2}\S+ \$ sudo -n -- docker run -d --name api /m,
    /^preflight ok: true$/m,
    /after plan and preflight: 0$/m,
  ],
}

describe('examples/ against the lab', () => {
  test('every example has an expected line', () => {
    const files = readdirSync(`${root}examples`).filter((f) => f.endsWith('.ts'))
    expect(files.sort()).toEqual(Object.keys(expected).sort())
  })

  // One after another: they share the lab's nginx, podman and ports 8080/8081 with each other.
  for (const [file, patterns] of Object.entries(expected)) {
    test(
      file,
      async () => {
        const { code, stdout, stderr } = await runExample(file)
        expect(code, `${file} exited ${code}\n${stderr.slice(-3000)}`).toBe(0)
        for (const pattern of patterns) expect(stdout).toMatch(pattern)
      },
      180_000,
    )
  }
})

function runExample(
  file: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['--conditions=@ferry/source', `examples/${file}`], {
      cwd: root,
      env: { ...process.env, FERRY_LAB_STATE: lab().statePath, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}
