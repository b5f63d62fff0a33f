/**
 * A frame's asynchronous-call bookkeeping (the reference's runtime asyncCallInfo and asyncContextInfo): the legacy
 * `asyncCall` waiting for its breakpoint to be handled (digest §3.7), and the promises made with
 * `createAsyncCall` (§3.8), by context id in creation order (the reference iterates a Go map: random order).
 */

/** A promise's status, as stored in the Go JSON record (the reference's AsyncCallStatus). */
export enum PromiseStatus {
  Pending = 0,
  Resolved = 1,
  Rejected = 2,
}

/** The callback a contract exports for the answers of its asynchronous calls. */
export const CALLBACK_FUNCTION = 'callBack';

export interface PendingAsyncCall {
  readonly destination: Uint8Array;
  readonly data: Uint8Array;
  readonly gasLimit: bigint;
  readonly value: bigint;
}

export interface AsyncGeneratedCall {
  status: PromiseStatus;
  readonly destination: Uint8Array;
  readonly data: Uint8Array;
  gasLimit: bigint;
  readonly valueBytes: Uint8Array;
  readonly successCallback: string;
  readonly errorCallback: string;
  readonly providedGas: bigint;
}

export interface AsyncContext {
  callback: string;
  readonly calls: AsyncGeneratedCall[];
}

export class AsyncBookkeeping {
  /** Set by asyncCall; handled when the contract has stopped. */
  pendingCall: PendingAsyncCall | undefined = undefined;
  /** Made on the first promise: most executions make none. */
  private byId: Map<string, AsyncContext> | undefined = undefined;

  get contexts(): ReadonlyMap<string, AsyncContext> {
    return (this.byId ??= new Map());
  }

  get hasPromises(): boolean {
    return this.byId !== undefined && this.byId.size > 0;
  }

  /** The context `id`, created empty if it does not exist yet. */
  context(id: string): AsyncContext {
    const byId = (this.byId ??= new Map());
    let context = byId.get(id);
    if (!context) byId.set(id, (context = { callback: '', calls: [] }));
    return context;
  }

  /** Every promise, contexts and calls in creation order. */
  allCalls(): AsyncGeneratedCall[] {
    return this.byId === undefined ? [] : [...this.byId.values()].flatMap((context) => context.calls);
  }
}
