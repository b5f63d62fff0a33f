/**
 * The node's per-request loop (reference ipc/nodepart/part.go): send the request, answer every hook call through
 * the repliers, finish at the contract or diagnose response. One deadline (MaxLoopTime) covers the whole request,
 * every read and write included; any protocol violation is a critical error. The dialogue always ends reset.
 */
import { Deadline, getLogger, type AsyncMessenger } from '@vm/messenger';
import { isContractResponse, isDiagnose, isHookRequest, describeMessage, VMError, ErrorCode, type AsyncBlockchainHook, type Message } from '@vm/protocol';
import { replyToHookCall } from './blockchainRepliers';

const log = getLogger('arwenDriver');

export interface NodePartOptions {
  /** The budget for the whole request, in milliseconds. */
  maxLoopTimeMs: number;
}

export async function runNodePart(messenger: AsyncMessenger, hook: AsyncBlockchainHook, request: Message, options: NodePartOptions): Promise<Message> {
  const deadline = Deadline.after(options.maxLoopTimeMs);
  const started = performance.now();
  try {
    try {
      await messenger.send(request, deadline);
    } catch (error) {
      throw critical(error, ErrorCode.CannotSendContractRequest);
    }
    for (;;) {
      const message = await messenger.receive(deadline);
      if (isHookRequest(message.Kind)) {
        const response = await withinDeadline(replyToHookCall(hook, message), deadline);
        try {
          await messenger.send(response, deadline);
        } catch (error) {
          throw critical(error, ErrorCode.CannotSendHookCallResponse);
        }
        continue;
      }
      if (isContractResponse(message.Kind) || isDiagnose(message.Kind)) return message;
      throw new VMError(ErrorCode.BadMessageFromArwen, describeMessage(message));
    }
  } catch (error) {
    log.warn('[NODE]: end of loop', { err: (error as Error).message });
    throw error;
  } finally {
    messenger.resetDialogue();
    if (log.isLevelEnabled('trace')) log.trace('[NODE] end of loop', { ms: (performance.now() - started).toFixed(3) });
  }
}

/** The node's own hook work counts against the same budget: a hook that never answers times out too. */
function withinDeadline<T>(work: Promise<T>, deadline: Deadline): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new VMError(ErrorCode.Timeout, 'the blockchain hook did not answer within the deadline')), deadline.remaining());
  });
  return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
}

/** A messenger error keeps its own code (a timeout stays a timeout); anything else becomes `otherwise`. */
function critical(error: unknown, otherwise: { code: string; message: string; critical: boolean }): VMError {
  if (error instanceof VMError) return error;
  return new VMError(otherwise, String(error), { cause: error });
}
