// @ferry/lab: real servers on loopback (moto, sshd, nginx, pebble, podman) for tests and demos.
export { startLab, type LabOptions } from './lab'
export { connectLab, stopLabState } from './connect'
export { startNginx, type StartNginxOptions, type NginxInstance } from './nginx'
export { labHost, labEnv } from './host'
export { describeLab } from './describe'
export { LabError, type LabComponent } from './errors'
export { freePort, freePorts } from './ports'
export { uniqueName } from './unique-name'
export { isRunning, type LabProcess } from './proc'
export { readLabState, type LabState } from './state'
export { sshFingerprint, knownHostsLine } from './ssh-keys'
export { HTTPD_IMAGE } from './httpd-image'
export {
  createLabGlobalAccelerator,
  type LabGlobalAccelerator,
  type LabGlobalAcceleratorOptions,
  type LabGaCall,
} from './global-accelerator'
export type {
  GaState as LabGaState,
  LabAccelerator,
  LabListener,
  LabEndpointGroup,
} from './ga-state'
export type {
  Lab,
  LabInfo,
  LabAws,
  LabSsh,
  LabNginx,
  LabAcme,
  LabDocker,
  LabHost,
  LabTarget,
} from './types'
