// @ferry/images: EBS snapshots, AMIs from instances or snapshots, region copies and sharing.
export { snapshotVolume, type SnapshotResult } from './snapshot-volume.js'
export { createAmi, type AmiResult } from './create-ami.js'
export { copyAmi, type CopyAmiResult } from './copy-ami.js'
export { shareAmi, unshareAmi, type ShareAmiResult } from './share-ami.js'
export { migrateVolume, type MigrateVolumeResult } from './migrate-volume.js'
export {
  deleteAmi,
  deleteSnapshot,
  SNAPSHOT_IN_USE_RETRY,
  type DeleteAmiInput,
  type DeleteAmiResult,
} from './delete-ami.js'
export { deleteImagesByRun, type RegionTeardown } from './delete-by-run.js'

export { snapshotVolumeStep, type SnapshotStepInput } from './snapshot-step.js'
export {
  createAmiStep,
  type AmiFromServerStepInput,
  type AmiFromSnapshotStepInput,
} from './ami-step.js'
export { copyAmiStep, type CopyAmiStepInput } from './copy-step.js'
export { shareAmiStep, type ShareAmiStepInput } from './share-step.js'
export type { AmiRef, ServerLike, SnapshotRef } from './step-env.js'

// Pure builders and rules: what each call would send, for plans and tests.
export {
  checkSnapshotInput,
  createSnapshotInput,
  findSnapshotInput,
  volumeOfDevice,
  type SnapshotVolumeInput,
} from './snapshot-input.js'
export {
  checkAmiInput,
  createImageInput,
  registerImageInput,
  findImageInput,
  type AmiArchitecture,
  type AmiFromInstance,
  type AmiFromSnapshot,
  type CreateAmiInput,
} from './ami-input.js'
export {
  checkCopyInput,
  copyEncryption,
  copyImageInput,
  kmsKeyIn,
  type CopyAmiInput,
  type CopyEncryption,
} from './copy-input.js'
export {
  checkShareInput,
  checkPublicAllowed,
  launchPermissionInput,
  volumePermissionInputs,
  type ShareAmiInput,
} from './share-input.js'
export {
  checkMigrateInput,
  copySnapshotInput,
  createVolumeInput,
  type MigrateVolumeInput,
} from './migrate-input.js'
export { amiName, defaultAmiName, imageFacts, type ImageFacts } from './image-facts.js'
export { parseProgress } from './wait.js'
export { MODULE_TAG, SOURCE_TAG, resourceTags } from './tags.js'
export { DEFAULT_MAX_WAIT_MS, type ImagesOptions } from './options.js'
