// @ferry/ec2: launch web servers, open ports, key pairs (PEM 0600, PPK), resize, terminate,
// and run containers over SSH. Each operation is a plain function and a pipeline step.

// Launching web servers
export { launchWebServer, type LaunchWebServerOptions, type LaunchResult } from './launch.js'
export { launchWebServerStep, type LaunchStepOptions } from './launch-step.js'
export { checkLaunchInput, type LaunchWebServerInput, type KeyPairSpec } from './launch-spec.js'
export type { WebServer } from './web-server.js'
export type { HostKeyMode, ReadyLevel } from './readiness.js'
export {
  runInstancesInput,
  DEFAULT_ROOT_GIB,
  type LaunchPlan,
  type RootVolume,
} from './launch-input.js'
export {
  webServerUserData,
  encodeUserData,
  MAX_USER_DATA_BYTES,
  type UserDataOptions,
} from './user-data.js'
export {
  findAmi,
  amiQuery,
  newestImage,
  distroOf,
  sshUserFor,
  AMI_OWNERS,
  type AmiSpec,
  type Architecture,
  type Distro,
  type ResolvedAmi,
} from './ami.js'
export { parseConsoleHostKeys, type ConsoleHostKey } from './host-keys.js'
export { scanHostKey, type ScannedHostKey } from './keyscan.js'
export { securityGroupName, createSecurityGroupInput } from './security-group.js'

// Key pairs and key files
export {
  createKeyPair,
  importKeyPair,
  deleteKeyPair,
  publicKeyOf,
  createKeyPairInput,
  importKeyPairInput,
  type CreateKeyPairInput,
  type KeyPairInfo,
  type KeyType,
  type TagContext,
} from './key-pair.js'
export { writeKeyFile, assertKeyFileFree } from './key-file.js'
export { toPpk } from './ppk.js'
export { parsePrivateKey, publicKeyLine, publicKeyBlob, type SshPrivateKey } from './ssh-key.js'

// Ports
export {
  openPorts,
  closePorts,
  revokeIngressRules,
  type PortsTarget,
  type PortsOptions,
  type IngressRule,
} from './open-ports.js'
export { openPortsStep, type PortsContext } from './ports-step.js'
export {
  checkPorts,
  desiredIngress,
  ingressDiff,
  ipPermissions,
  type PortsSpec,
  type IngressRuleSpec,
  type IngressEntry,
  type Source,
  type Protocol,
} from './ingress.js'
export { networkCidr, isWorld, addressesCovered, WORLD } from './cidr.js'
export { reachesWorld, opensSshToWorld, SSH_WORLD_PREFIX } from './ssh-reach.js'
export { checkMyIp, CHECKIP_URL, type MyIpResolver } from './my-ip.js'

// Resize, terminate, teardown
export { resizeInstance, type ResizeResult } from './resize.js'
export { terminateWebServer, type TerminateOptions, type Ec2Resources } from './terminate.js'
export { deleteEc2ByRun, type DeletedByRun } from './teardown.js'

// Containers
export { runContainer, type RunContainerOptions, type ContainerInfo } from './run-container.js'
export {
  runContainerStep,
  type ContainerDeployment,
  type ContainerContext,
} from './container-step.js'
export { containerLogs, stopContainer } from './container-ops.js'
export { ContainerError, type ContainerFailure } from './container-error.js'
export { imageRef } from './image-ref.js'
export {
  checkContainer,
  type ContainerSpec,
  type PortMapping,
  type HealthCheck,
  type CheckedContainer,
} from './container-spec.js'
export {
  dockerRun,
  dockerCommands,
  envFileText,
  parsePorts,
  MANAGED_LABEL,
  type PublishedPort,
} from './docker-argv.js'
export { engineCommand, healthCommand, portsTakenCommand } from './container-scripts.js'
export { fastRunCommand } from './fast-run-script.js'
export type { DockerOptions } from './docker-cli.js'

// Shared
export type { Ec2Options } from './sdk.js'
