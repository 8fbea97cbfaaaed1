// The field a ValidationError names, for tests that expect refusals: 'accepted' when the call
// returns, and the error itself when it is not a ValidationError.
import { ValidationError } from '@ferry/core'

/** Runs `f` and says which field it refused, or 'accepted'. */
export const fieldOf = (f: () => unknown): string => {
  try {
    f()
  } catch (e) {
    return ValidationError.is(e) ? e.field : `not a ValidationError: ${String(e)}`
  }
  return 'accepted'
}
