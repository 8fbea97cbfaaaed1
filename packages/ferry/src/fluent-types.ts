// Type plumbing for the fluent builder: a method's arguments type-check only when the context so
// far has what its step needs; otherwise the first argument must carry an error naming what is missing.
import type { NeedsMet, Step } from '@ferry/core'

/** The step a factory returns. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type StepOf<TFactory> = TFactory extends (...args: any[]) => infer TStep ? TStep : never

/** What a step factory's step needs from the context. */
export type NeedsOf<TFactory> =
  StepOf<TFactory> extends Step<infer TNeeds, infer _TAdds> ? TNeeds : never

/** What a step factory's step adds to the context. */
export type AddsOf<TFactory> =
  StepOf<TFactory> extends Step<infer _TNeeds, infer TAdds> ? TAdds : never

/** A factory's parameters when `TCtx` meets its needs; else its first parameter must carry the error. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FluentArgs<TCtx, TFactory extends (...args: any[]) => unknown> =
  TCtx extends NeedsOf<TFactory>
    ? Parameters<TFactory>
    : Parameters<TFactory> extends [(infer TFirst)?, ...infer TRest]
      ? [input: TFirst & NeedsMet<TCtx, NeedsOf<TFactory>>, ...rest: TRest]
      : never
