/**
 * The VM process's BlockchainHook: every method is a hook request to the node and a blocking wait for its answer
 * (reference ipc/arwenpart/blockchainGateway.go). A hook's own error (ErrorMessage, for the six methods that can
 * fail) is thrown as an Error the VM treats like the reference does; a transport failure or a wrong answer is a
 * critical VMError that aborts the execution (the reference turned those into zero values).
 */
import { createMessage, HOOK_CALLS, HOOK_REQUEST_KINDS, responseKindOf, kindName, VMError, ErrorCode, type BlockchainHook, type Message, type WireKind } from '@vm/protocol';
import type { SyncMessenger } from '@vm/messenger';

/** An error the node's hook reported (its ErrorMessage). */
export class HookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookError';
  }
}

export type BlockchainGateway = BlockchainHook;

export function createBlockchainGateway(messenger: SyncMessenger): BlockchainGateway {
  const gateway: Record<string, (...args: never[]) => unknown> = {};
  for (const kind of HOOK_REQUEST_KINDS) {
    const call = HOOK_CALLS[kind];
    const expected = responseKindOf(kind) as number;
    gateway[call.method] = (...args: never[]) => {
      // A transport failure throws a critical VMError from the messenger: it aborts the execution.
      const response: Message = messenger.request(createMessage(kind as WireKind, call.toRequest(...args) as never) as Message);
      if (response.Kind !== expected) throw new VMError(ErrorCode.BadHookResponseFromNode, `${kindName(kind)} answered with ${kindName(response.Kind) ?? response.Kind}`);
      if (call.canFail && response.ErrorMessage !== '') throw new HookError(response.ErrorMessage);
      return call.fromResponse(response as unknown as Record<string, unknown>);
    };
  }
  return gateway as unknown as BlockchainGateway;
}
