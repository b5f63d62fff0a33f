/**
 * The node's per-request loop (reference ipc/nodepart/part.go): send the request, answer every hook call through
 * the repliers, finish at the contract or diagnose response. One deadline (MaxLoopTime) covers the whole request,
 * every read, write and hook answer included (one timer, armed only if the request ever waits on the event loop);
 * any protocol violation is a critical error. The dialogue always ends reset. When the hook answers synchronously
 * and the messenger has the next message at hand (busy polling) or takes a frame at once, a round trip costs no
 * promise and no timer at all.
 */
import { getLogger } from '@vm/logging';
import { Deadline, type AsyncMessenger } from '@vm/messenger';
import {
  endsDialogue,
  isContractResponse,
  isVmRequest,
  describeMessage,
  VMError,
  ErrorCode,
  type AsyncBlockchainHook,
  type Message,
} from '@vm/protocol';
import { answerHookCall, hookFailure } from './blockchainRepliers';
import type { NodeSession } from './session';

const log = getLogger('arwenDriver');

export interface NodePartOptions {
  /** The budget for the whole request, in milliseconds. */
  maxLoopTimeMs: number;
  /** The connection's negotiated extensions (none: the reference protocol). */
  session?: NodeSession;
}

export async function runNodePart(
  messenger: AsyncMessenger,
  hook: AsyncBlockchainHook,
  request: Message,
  options: NodePartOptions,
): Promise<Message> {
  const started = performance.now();
  const budget = new RequestBudget(messenger, options.maxLoopTimeMs);
  try {
    try {
      const posting = budget.whileWaiting(messenger.post(request));
      if (posting) await posting;
    } catch (error) {
      throw critical(error, ErrorCode.CannotSendContractRequest);
    }
    let failedHook: VMError | undefined;
    for (;;) {
      budget.check();
      const message = messenger.tryReceive(budget.deadline) ?? (await budget.whileWaiting(messenger.receive()));
      if (isVmRequest(message.Kind)) {
        const answered = answerHookCall(hook, message, options.session);
        // the node's own hook work counts against the same budget: a hook that never answers times out too
        let reply = answered instanceof Promise ? await Promise.race([answered, budget.expired()]) : answered;
        try {
          const posting = budget.whileWaiting(messenger.post(reply.response));
          if (posting) await posting;
        } catch (error) {
          if (!VMError.is(error, ErrorCode.MessageTooLarge))
            throw critical(error, ErrorCode.CannotSendHookCallResponse);
          // an answer over the frame limit (e.g. a huge code) was not written: the VM is told the hook failed
          reply = hookFailure(message, error.message);
          await budget.whileWaiting(messenger.send(reply.response));
        }
        failedHook ??= reply.failure;
        continue;
      }
      // A failed hook fails the request once the dialogue is over: never an output computed without its answer.
      if (failedHook && isContractResponse(message.Kind)) throw failedHook;
      if (endsDialogue(message.Kind)) return message;
      throw new VMError(ErrorCode.BadMessageFromArwen, describeMessage(message));
    }
  } catch (error) {
    if (!VMError.is(error, ErrorCode.HookFailed)) log.warn('[NODE]: end of loop', { err: (error as Error).message });
    throw error;
  } finally {
    budget.clear();
    messenger.resetDialogue();
    if (log.isLevelEnabled('trace')) log.trace('[NODE] end of loop', { ms: (performance.now() - started).toFixed(3) });
  }
}

/**
 * One request's budget: a deadline, checked between the synchronous steps, and a timer armed only once the request
 * first waits on the event loop (a request answered while busy polling, by a synchronous hook, sets no timer at
 * all). When it fires, the messenger is aborted: a pending read or write fails at once.
 */
class RequestBudget {
  readonly deadline: Deadline;
  private timer: NodeJS.Timeout | undefined;
  private expiry: Promise<never> | undefined;

  constructor(
    private readonly messenger: AsyncMessenger,
    private readonly ms: number,
  ) {
    this.deadline = Deadline.after(ms);
  }

  /** Throws (and aborts the messenger) once the budget is spent. */
  check(): void {
    if (this.deadline.expired()) throw this.timedOut();
  }

  /** `pending` (a read or write), with the timer armed; undefined (nothing to wait for) stays undefined. */
  whileWaiting<T>(pending: Promise<T>): Promise<T>;
  whileWaiting(pending: Promise<void> | undefined): Promise<void> | undefined;
  whileWaiting<T>(pending: Promise<T> | undefined): Promise<T> | undefined {
    if (pending) void this.expired();
    return pending;
  }

  /** Rejects with Timeout when the budget is spent (arms the timer on first use). */
  expired(): Promise<never> {
    if (!this.expiry) {
      this.expiry = new Promise<never>((_resolve, reject) => {
        this.timer = setTimeout(() => reject(this.timedOut()), this.deadline.remaining());
      });
      this.expiry.catch(() => undefined);
    }
    return this.expiry;
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private timedOut(): VMError {
    const error = new VMError(ErrorCode.Timeout, `the request did not finish within ${this.ms} ms`);
    this.messenger.abort(error); // fails a pending read or write at once
    return error;
  }
}

/** A messenger error keeps its own code (a timeout stays a timeout); anything else becomes `otherwise`. */
function critical(error: unknown, otherwise: { code: string; message: string; critical: boolean }): VMError {
  if (error instanceof VMError) return error;
  return new VMError(otherwise, String(error), { cause: error });
}
