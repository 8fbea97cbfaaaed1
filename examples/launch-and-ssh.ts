// Launch a web server with its own key pair and security group, open SSH to you only, then run
// commands on it over SSH through `server.host` (host key pinned, sudo without a password).
// The plain functions, no pipeline: every ferry module works on its own.
//
//   FERRY_LAB_STATE=.lab/demo/state.json pnpm exec tsx --conditions=@ferry/source examples/launch-and-ssh.ts
//
// Without FERRY_LAB_STATE it starts a lab of its own and stops it at the end.
import { launchWebServer, newRunId, openPorts, teardown } from 'ferry'
import { labAws, labLaunch, labResolveHost, scratchDir, withLab } from './support/lab.js'

await withLab(async (lab) => {
  const aws = labAws(lab)
  const runId = newRunId() // tags everything, so teardown(runId) finds it all
  const scratch = scratchDir('launch')
  try {
    const { server } = await launchWebServer(labLaunch(lab, scratch.dir, 'web'), {
      aws,
      runId,
      resolveHost: labResolveHost(lab), // in the lab every instance is its sshd
      waiterMinDelay: 200,
    })
    console.log(`launched ${server.instanceId} (${server.publicIp}), key ${server.keyPair.path}`)

    // Nothing is open after a launch; SSH only from your address (the lab has no internet to ask).
    await openPorts(server, { ssh: 'me' }, { aws, myIp: async () => '127.0.0.1' })

    // The first command connects; the host key must match the pinned one or nothing runs.
    const who = await server.host.run(['id', '-un'])
    const root = await server.host.run(['id', '-un'], { sudo: true })
    const kernel = await server.host.run(['uname', '-sr'])
    // On AWS the login is the AMI's user (ec2-user here); the lab's sshd has one: ferry-deploy.
    console.log(`ssh to ${server.instanceId}: id -un → ${who.stdout.trim()}`)
    console.log(`with sudo → ${root.stdout.trim()}; kernel ${kernel.stdout.trim()}`)
    await server.host.close()
  } finally {
    await teardown(runId, { aws, globalAccelerator: false }) // no accelerators in this run
    scratch.remove()
  }
  console.log('ran over SSH and tore the server down')
})
