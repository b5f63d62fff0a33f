/**
 * The node's per-request loop (reference ipc/nodepart/part.go): send the request, answer every hook call through
 * the repliers, finish at the contract or diagnose response. One deadline (MaxLoopTime) covers the whole request,
 * every read, write and hook answer included (one timer); any protocol violation is a critical error. The dialogue
 * always ends reset. When the hook answers synchronously and the messenger has the next message at hand (busy
 * polling) or takes a frame at once, a round trip costs no promise at all.
 */
import { getLogger } from '@vm/logging';
import type { AsyncMessenger } from '@vm/messenger';
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
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new VMError(ErrorCode.Timeout, `the request did not finish within ${options.maxLoopTimeMs} ms`);
      messenger.abort(error); // fails a pending read or write at once
      reject(error);
    }, options.maxLoopTimeMs);
  });
  expired.catch(() => undefined);
  try {
    try {
      await messenger.post(request);
    } catch (error) {
      throw critical(error, ErrorCode.CannotSendContractRequest);
    }
    let failedHook: VMError | undefined;
    for (;;) {
      const message = messenger.tryReceive() ?? (await messenger.receive());
      if (isVmRequest(message.Kind)) {
        const answered = answerHookCall(hook, message, options.session);
        // the node's own hook work counts against the same budget: a hook that never answers times out too
        let reply = answered instanceof Promise ? await Promise.race([answered, expired]) : answered;
        try {
          const pending = messenger.post(reply.response);
          if (pending) await pending;
        } catch (error) {
          if (!VMError.is(error, ErrorCode.MessageTooLarge))
            throw critical(error, ErrorCode.CannotSendHookCallResponse);
          // an answer over the frame limit (e.g. a huge code) was not written: the VM is told the hook failed
          reply = hookFailure(message, error.message);
          await messenger.send(reply.response);
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
    clearTimeout(timer);
    messenger.resetDialogue();
    if (log.isLevelEnabled('trace')) log.trace('[NODE] end of loop', { ms: (performance.now() - started).toFixed(3) });
  }
}

/** A messenger error keeps its own code (a timeout stays a timeout); anything else becomes `otherwise`. */
function critical(error: unknown, otherwise: { code: string; message: string; critical: boolean }): VMError {
  if (error instanceof VMError) return error;
  return new VMError(otherwise, String(error), { cause: error });
}
