// The regions AWS serves, by partition, from the AWS SDK's partitions.json (@aws-sdk/core
// 3.981). A name outside this list is refused before any call: 'us-east-9' would otherwise
// reach a host that does not exist and come back as an unreadable network or XML error.

/**
 * Every region of every AWS partition ferry knows.
 * @example
 * AWS_REGIONS.includes('ap-south-1') // true
 */
export const AWS_REGIONS: readonly string[] = [
  // aws
  ...['af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2'],
  ...['ap-northeast-3', 'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2'],
  ...['ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7'],
  ...['ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1'],
  ...['eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1'],
  ...['me-south-1', 'me-west-1', 'mx-central-1', 'sa-east-1', 'sa-west-1'],
  ...['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'],
  // aws-cn, aws-us-gov, aws-eusc, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f
  ...['cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1', 'eusc-de-east-1'],
  ...['us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isob-west-1', 'eu-isoe-west-1'],
  ...['us-isof-east-1', 'us-isof-south-1'],
]

/**
 * The environment variable that adds regions AWS opened after this release (comma-separated),
 * the one escape hatch from the list; each must still look like a region name.
 * @example
 * // FERRY_EXTRA_REGIONS=xx-east-1 node deploy.js
 * EXTRA_REGIONS_ENV // 'FERRY_EXTRA_REGIONS'
 */
export const EXTRA_REGIONS_ENV = 'FERRY_EXTRA_REGIONS'

const SHAPE = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/

/**
 * True for a region in AWS_REGIONS or in FERRY_EXTRA_REGIONS (read at each call).
 * @example
 * isKnownRegion('us-east-9') // false
 */
export function isKnownRegion(name: string): boolean {
  if (AWS_REGIONS.includes(name)) return true
  const extra = (process.env[EXTRA_REGIONS_ENV] ?? '').split(',').map((r) => r.trim())
  return SHAPE.test(name) && extra.includes(name)
}
