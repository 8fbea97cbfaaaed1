// What a rule of the strict layer is: code that reads a request before it reaches AWS (and may
// answer it itself, as AWS would refuse it) and the response after (and may record what it made).
import type { AwsResponse } from './respond'
import type { RuleName, StrictSettings } from './settings'
import type { AwsRequest } from './wire'

/** A call straight to moto, past every rule (what a rule uses to read AWS's true state). */
export type MotoSend = (request: AwsRequest) => Promise<AwsResponse>

/** What a rule sees of one request. */
export interface RuleContext {
  request: AwsRequest
  settings: StrictSettings
  /** Sends a request to moto directly. */
  moto: MotoSend
  /** Builds and sends an EC2 query request to moto directly (Version is added). */
  ec2: (region: string, params: Record<string, string>) => Promise<AwsResponse>
}

/** One of AWS's rules, enforced on the wire. */
export interface Rule {
  readonly name: RuleName
  /** The AWS documentation the rule follows. */
  readonly source: string
  /** Answers the request itself (AWS refuses it), or undefined to let it through. */
  before?(ctx: RuleContext): Promise<AwsResponse | undefined> | AwsResponse | undefined
  /** Sees AWS's answer; may replace it. */
  after?(
    ctx: RuleContext,
    response: AwsResponse,
  ): Promise<AwsResponse | undefined> | AwsResponse | undefined
}
