// @ferry/lab: real servers on loopback (moto, sshd, nginx, pebble, podman) for tests and demos.
export { startLab, type LabOptions } from './lab'
export { connectLab, stopLabState } from './connect'
export { startNginx, type StartNginxOptions, type NginxInstance } from './nginx'
export { labHost, labEnv, instanceAddress } from './host'
export { strictAwsScope, type StrictAwsScope } from './aws/control'
export {
  RULE_NAMES,
  type RuleName,
  type FaultSpec,
  type SettingsPatch,
  type StrictSettings,
} from './aws/settings'
export type { LayerCall } from './aws/layer'
export type { GateDecision, GateInstance } from './aws/gate'
export { DEFAULT_CALLER_IP } from './components'
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
