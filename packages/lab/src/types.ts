import type { LabProcess } from './proc'

/** The lab's AWS endpoint (moto): pass it to any AWS SDK v3 client. */
export interface LabAws {
  /**
   * The lab's strict AWS layer (e.g. 'http://127.0.0.1:41234'): moto behind AWS's rules. Give
   * this to every client.
   */
  endpoint: string
  /** moto itself, without the rules: only for a test that shows what moto alone lets through. */
  motoEndpoint: string
  /** The address the lab says you connect from (security groups are checked against it). */
  callerIp: string
  region: 'us-east-1'
  credentials: { accessKeyId: 'testing'; secretAccessKey: 'testing' }
}

/** The lab's SSH target (OpenSSH sshd), standing in for every EC2 instance. */
export interface LabSsh {
  host: '127.0.0.1'
  port: number
  username: string
  /** The client's ed25519 private key file (0600). */
  privateKeyPath: string
  /** The same key as text (OpenSSH format). */
  privateKey: string
  /** 'ssh-ed25519 AAAA…' of the server. */
  hostPublicKey: string
  /** 'SHA256:…', as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string
  /** A known_hosts file holding `[127.0.0.1]:PORT ssh-ed25519 AAAA…`. */
  knownHostsPath: string
}

/** An nginx running under its own prefix directory. */
export interface LabNginx {
  /** The prefix directory; everything nginx reads or writes is under it. */
  prefix: string
  bin: string
  /** The main config; it includes `confDir/*.conf`. */
  confPath: string
  /** Where site files go (`conf.d`). */
  confDir: string
  /** Served at `/.well-known/acme-challenge/` on httpPort: files go in `webroot/.well-known/acme-challenge/`. */
  webroot: string
  /** Where certificates and keys for TLS sites go. */
  certDir: string
  httpPort: number
  /** A free port reserved for TLS sites (nothing listens on it until a site does). */
  httpsPort: number
  pidPath: string
  /** argv of `nginx -t` for this instance; run it with sudo. */
  testCommand: string[]
  /** argv of `nginx -s reload` for this instance; run it with sudo. */
  reloadCommand: string[]
}

/** The lab's ACME CA (pebble) with real http-01 validation against the lab's nginx. */
export interface LabAcme {
  /** e.g. 'https://127.0.0.1:43210/dir' */
  directoryUrl: string
  /** The CA that signed pebble's own HTTPS certificate (trust it in the ACME client). */
  listenerCaPath: string
  listenerCa: string
  /** The root that issued certificates chain to (new at every pebble start). */
  rootCa: string
  managementUrl: string
}

/** The lab's container engine (podman) behind a docker CLI. */
export interface LabDocker {
  /** A `docker`-compatible executable: `sudo <bin> run -d -p 8080:80 IMAGE` works over SSH. */
  bin: string
  images: { httpd: string }
}

/** Where to SSH for an instance: the lab maps every instance to its sshd. */
export interface LabHost {
  host: string
  port: number
  username: string
  privateKey: string
  privateKeyPath: string
  hostPublicKey: string
  hostKeyFingerprint: string
}

/** An instance as ferry knows it; any of the fields may identify it. */
export interface LabTarget {
  instanceId?: string
  publicIp?: string
  privateIp?: string
}

/** Everything about a running lab as plain, serialisable data (what tests get via `inject('lab')`). */
export interface LabInfo {
  /** The lab's directory; everything it writes is under it. */
  dir: string
  /** The state file another process passes to `connectLab`. */
  statePath: string
  aws: LabAws
  ssh: LabSsh
  nginx: LabNginx
  acme: LabAcme
  docker: LabDocker
  /** Every server process the lab started. */
  processes: LabProcess[]
  /** Milliseconds each component took to become ready (they start in parallel), and the total. */
  timings: Record<string, number>
}

/** A running lab: its data plus what you can do with it. */
export interface Lab extends LabInfo {
  /** Stops every server by pid and removes the containers it started; safe to call twice. */
  stop(): Promise<void>
  /** Environment variables that point a child process at this lab. */
  env(): Record<string, string>
  /** Where to SSH for an instance launched in moto: always the lab's sshd. */
  resolveHost(target?: LabTarget): LabHost
}
