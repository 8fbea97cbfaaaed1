import { describe, expect, it } from 'vitest'
import { ValidationError } from '@ferry/core'
import { ec2Context } from './sdk.js'

describe('ec2Context', () => {
  it('refuses a region AWS does not serve before any client exists', async () => {
    const error = await ec2Context({ region: 'us-east-9' }).catch((e: unknown) => e)
    expect(ValidationError.is(error) && error.field).toBe('region')
    const viaAws = await ec2Context({ aws: { region: 'us-east-9' } }).catch((e: unknown) => e)
    expect(ValidationError.is(viaAws) && viaAws.field).toBe('region')
  })
})
