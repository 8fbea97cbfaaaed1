// A round trip through every lab component, the way a deploy does it: launch an instance in
// moto, SSH to it, run a container, put nginx in front, get a certificate from pebble.
//
//   FERRY_LAB_STATE=.ferry-lab/state.json tsx --conditions=@ferry/source examples/lab-roundtrip.ts
//
// Without FERRY_LAB_STATE it starts a lab of its own and stops it at the end.
import { X509Certificate, createHash } from 'node:crypto'
import { Agent } from 'node:https'
import { get } from 'node:http'
import { join } from 'node:path'
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeImagesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceTerminated,
} from '@aws-sdk/client-ec2'
import acme from 'acme-client'
import { NodeSSH } from 'node-ssh'
import { connectLab, freePort, startLab, uniqueName, type Lab } from '@ferry/lab'

const step = (what: string) => console.log(`\n== ${what}`)

// EC2 is eventually consistent: a just-created id can answer NotFound for a moment (the lab's
// strict AWS layer does so once per new id, as a real account may). Retry with backoff.
async function untilVisible<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (e) {
      if (attempt >= 8 || !/NotFound$/.test((e as Error).name)) throw e
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt))
    }
  }
}
const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`

async function main(lab: Lab): Promise<void> {
  step('EC2 (moto): launch an instance')
  const ec2 = new EC2Client({
    endpoint: lab.aws.endpoint,
    region: lab.aws.region,
    credentials: lab.aws.credentials,
  })
  const { Images } = await ec2.send(
    new DescribeImagesCommand({
      Owners: ['amazon'],
      // Unfiltered, moto answers with ~1300 images in ~5 s.
      Filters: [{ Name: 'name', Values: ['al2023-ami-2023*-x86_64'] }],
    }),
  )
  // A security group lets in only what it allows: SSH from you (what checkip would answer).
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: uniqueName('roundtrip'),
      Description: 'lab round trip',
    }),
  )
  await untilVisible(() =>
    ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: `${lab.aws.callerIp}/32` }],
          },
        ],
      }),
    ),
  )
  const { Instances } = await ec2.send(
    new RunInstancesCommand({
      ImageId: Images![0]!.ImageId,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      SecurityGroupIds: [GroupId!],
    }),
  )
  const instanceId = Instances![0]!.InstanceId!
  console.log(`launched ${instanceId} (public ip ${Instances![0]!.PublicIpAddress ?? '-'})`)

  step('SSH (sshd): connect to "the instance" with its host key pinned')
  const host = lab.resolveHost({ instanceId })
  const ssh = new NodeSSH()
  await ssh.connect({
    host: host.host,
    port: host.port,
    username: host.username,
    privateKey: host.privateKey,
    hostVerifier: (key: Buffer) =>
      `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}` ===
      host.hostKeyFingerprint,
  })
  const sh = async (command: string) => {
    const r = await ssh.execCommand(command)
    if (r.code !== 0) throw new Error(`${command}: exit ${r.code}: ${r.stderr}`)
    return r.stdout
  }
  console.log(
    `${host.username}@${host.host}:${host.port} → ${(await sh('id -un; sudo -n id -un')).replace('\n', ', sudo as ')}`,
  )

  step('container (podman as docker): run a web server with -p')
  const name = uniqueName('roundtrip')
  const port = await freePort()
  const docker = `sudo ${q(lab.docker.bin)}`
  await sh(
    `${docker} run -d --name ${name} -e MESSAGE=${q(`hello from ${instanceId}`)} -p ${port}:80 ${lab.docker.images.httpd}`,
  )
  console.log(
    `container ${name} on 127.0.0.1:${port} says: ${(await retry(() => fetchText(port, 'localhost'))).trim()}`,
  )

  const domain = `${name}.example.test`
  const site = join(lab.nginx.confDir, `${name}.conf`)
  try {
    step('nginx: reverse proxy the domain to the container, test, reload')
    const conf = `server {\n  listen 127.0.0.1:${lab.nginx.httpPort};\n  server_name ${domain};\n  location /.well-known/acme-challenge/ { root ${lab.nginx.webroot}; }\n  location / { proxy_pass http://127.0.0.1:${port}; }\n}\n`
    await sh(`printf %s ${q(conf)} | sudo tee ${q(site)} >/dev/null`)
    await sh(`sudo ${lab.nginx.testCommand.map(q).join(' ')}`)
    await sh(`sudo ${lab.nginx.reloadCommand.map(q).join(' ')}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
    console.log(
      `http://${domain}:${lab.nginx.httpPort}/ → ${(await fetchText(lab.nginx.httpPort, domain)).trim()}`,
    )

    step('ACME (pebble): certificate for the domain via real http-01')
    acme.axios.defaults.httpsAgent = new Agent({ ca: lab.acme.listenerCa })
    const client = new acme.Client({
      directoryUrl: lab.acme.directoryUrl,
      accountKey: await acme.crypto.createPrivateKey(),
    })
    const [, csr] = await acme.crypto.createCsr({ commonName: domain })
    const pem = await client.auto({
      csr,
      termsOfServiceAgreed: true,
      challengePriority: ['http-01'],
      skipChallengeVerification: true, // the local pre-check cannot resolve lab names; pebble validates for real
      challengeCreateFn: async (_a, challenge, keyAuthorization) => {
        const file = join(lab.nginx.webroot, '.well-known', 'acme-challenge', challenge.token)
        await sh(`printf %s ${q(keyAuthorization)} | sudo tee ${q(file)} >/dev/null`)
      },
      challengeRemoveFn: async (_a, challenge) => {
        await sh(
          `sudo rm -f ${q(join(lab.nginx.webroot, '.well-known', 'acme-challenge', challenge.token))}`,
        )
      },
    })
    const [leaf, issuer] = pem
      .match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!
      .map((p) => new X509Certificate(p))
    const root = new X509Certificate(lab.acme.rootCa)
    console.log(`issued: ${leaf!.subjectAltName} by ${leaf!.issuer.replace('\n', ' ')}`)
    console.log(
      `chains to this pebble's root: ${leaf!.verify(issuer!.publicKey) && issuer!.verify(root.publicKey)}`,
    )
  } finally {
    step('clean up')
    await sh(`sudo rm -f ${q(site)} && sudo ${lab.nginx.reloadCommand.map(q).join(' ')}`)
    await sh(`${docker} rm -f ${name}`)
    await untilVisible(() => ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] })))
    ssh.dispose()
    await waitUntilInstanceTerminated(
      { client: ec2, maxWaitTime: 120, minDelay: 1 },
      { InstanceIds: [instanceId] },
    )
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId }))
    ec2.destroy()
    console.log('removed the site, the container, the instance and its security group')
  }
}

/** `docker run -d` returns before the server in the container listens: try for up to 5 s. */
async function retry<T>(fn: () => Promise<T>, until = Date.now() + 5000): Promise<T> {
  for (;;) {
    try {
      return await fn()
    } catch (error) {
      if (Date.now() > until) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

function fetchText(port: number, hostHeader: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', headers: { host: hostHeader } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(body)
          : reject(new Error(`HTTP ${res.statusCode}: ${body}`)),
      )
    }).on('error', reject)
  })
}

const statePath = process.env.FERRY_LAB_STATE
const lab = statePath ? connectLab(statePath) : await startLab()
try {
  await main(lab)
  console.log('\nround trip OK')
} finally {
  if (!statePath) await lab.stop()
}
