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
export { createLabGlobalAccelerator, type LabGlobalAccelerator } from './aws/ga/client'
export { GA_API_REGION, type LabGaCall, type LabGaState } from './aws/ga/service'
export {
  GA_RULE_NAMES,
  type GaRuleName,
  type GaSettings,
  type GaSettingsPatch,
} from './aws/ga/settings'
export { ENDPOINT_REGIONS as GA_ENDPOINT_REGIONS } from './aws/ga/endpoints'
export type {
  LabAccelerator,
  LabListener,
  LabEndpointGroup,
  LabEndpoint,
  LabGaTag,
} from './aws/ga/account'
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
