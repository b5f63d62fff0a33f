/**
 * Breakpoints: how a host function stops the running contract. The reference sets a per-instance value that the
 * instrumented code checks after each call; here the host function throws a BreakpointSignal at its end, which
 * unwinds the wasm frames at once, with the same effect.
 */
export enum Breakpoint {
  None = 0,
  ExecutionFailed = 1,
  AsyncCall = 2,
  SignalError = 3,
  SignalExit = 4,
  OutOfGas = 5,
}

export class BreakpointSignal {
  constructor(readonly breakpoint: Breakpoint) {}
}
