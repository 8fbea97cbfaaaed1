// A Let's Encrypt-style certificate for a site behind nginx (ACME http-01, here against the lab's
// pebble, which really fetches the challenge through nginx), HTTPS verified against the CA's
// root, then renewal: a no-op while the certificate is fresh, a new certificate once it is due
// (shown with a clock set 10 days before expiry, as a daily cron job would find it one day).
//
//   FERRY_LAB_STATE=.lab/demo/state.json pnpm exec tsx --conditions=@ferry/source examples/certificate-and-renewal.ts
//
// Without FERRY_LAB_STATE it starts a lab of its own and stops it at the end.
import {
  configureReverseProxy,
  issueCertificate,
  renewCertificate,
  runContainer,
  stopContainer,
  systemClock,
} from 'ferry'
import { freePort, uniqueName } from '@ferry/lab'
import { httpsGet } from './support/https.js'
import { labAcme, labNginx, labSshHost, scratchDir, withLab } from './support/lab.js'

await withLab(async (lab) => {
  const host = labSshHost(lab) // the lab's "instance"; on AWS: server.host from launchWebServer
  const site = uniqueName('tls')
  const domain = `${site}.lab.test`
  const scratch = scratchDir('tls') // the ACME account key lives here (0600), reused for renewals
  const nginx = labNginx(lab)
  const acme = { ...labAcme(lab, scratch.dir), domains: [domain], site, nginx }
  const port = await freePort()
  try {
    await runContainer(
      host,
      {
        name: site,
        image: lab.docker.images.httpd,
        ports: { [port]: 80 },
        env: { MESSAGE: 'secure hello' },
      },
      { docker: lab.docker.bin },
    )
    await configureReverseProxy(host, { name: site, routes: { [domain]: port }, nginx })

    const cert = await issueCertificate(host, acme)
    console.log(`issued for ${cert.domains.join(', ')}, expires ${cert.notAfter}`)
    // Trust only the CA's root: the request fails unless nginx serves the chain it issued.
    const first = await httpsGet({ name: domain, port: lab.nginx.httpsPort, ca: lab.acme.rootCa })
    console.log(
      `https://${domain} → HTTP ${first.status} "${first.body.trim()}" (${first.certificate.issuer})`,
    )

    const fresh = await renewCertificate(host, acme) // renews within 30 days of expiry by default
    console.log(`renew now: renewed=${fresh.renewed}, ${fresh.daysLeft} days left`)

    const dueSoon = { ...systemClock, now: () => Date.parse(cert.notAfter) - 10 * 86_400_000 }
    const renewed = await renewCertificate(host, acme, { clock: dueSoon })
    console.log(
      `renew 10 days before expiry: renewed=${renewed.renewed}, new expiry ${renewed.notAfter}`,
    )
    const after = await httpsGet({ name: domain, port: lab.nginx.httpsPort, ca: lab.acme.rootCa })
    console.log(`nginx now serves the new certificate: ${after.certificate.validTo}`)
  } finally {
    await stopContainer(host, site, { docker: lab.docker.bin, remove: true })
    await host.run(
      ['rm', '-rf', `${lab.nginx.confDir}/${site}.conf`, `${lab.nginx.certDir}/${domain}`],
      {
        sudo: true,
      },
    )
    await host.run(lab.nginx.reloadCommand, { sudo: true })
    await host.close()
    scratch.remove()
  }
})
