/**
 * The VM process's BlockchainHook: every method is a hook request to the node and a blocking wait for its answer
 * (reference ipc/arwenpart/blockchainGateway.go). An answer carrying an ErrorMessage means the node could not
 * answer: a HookFailed VMError that aborts the execution (the reference read such answers as zero values); a
 * transport failure or a wrong answer is a critical VMError.
 */
import {
  createMessage,
  HOOK_CALLS,
  HOOK_REQUEST_KINDS,
  responseKindOf,
  kindName,
  VMError,
  ErrorCode,
  type BlockchainHook,
  type Message,
  type WireKind,
} from '@vm/protocol';
import type { SyncMessenger } from '@vm/messenger';

export type BlockchainGateway = BlockchainHook & {
  /** Forgets what was learned during the last request (the node's state may have changed since). */
  startRequest(): void;
};

/**
 * Accounts are read many times per request (code, balance, nonce, owner of the same address) and cannot change
 * while the request runs (the node applies results only after it): the gateway asks once per request.
 */
const CACHED_PER_REQUEST = new Set(['getUserAccount']);

export function createBlockchainGateway(messenger: SyncMessenger): BlockchainGateway {
  const gateway: Record<string, (...args: never[]) => unknown> = {};
  const cache = new Map<string, unknown>();
  gateway.startRequest = () => cache.clear();
  for (const kind of HOOK_REQUEST_KINDS) {
    const call = HOOK_CALLS[kind];
    const expected = responseKindOf(kind) as number;
    const ask = (...args: never[]) => {
      // A transport failure throws a critical VMError from the messenger: it aborts the execution.
      const response: Message = messenger.request(
        createMessage(kind as WireKind, call.toRequest(...args) as never) as Message,
      );
      if (response.Kind !== expected)
        throw new VMError(
          ErrorCode.BadHookResponseFromNode,
          `${kindName(kind)} answered with ${kindName(response.Kind) ?? response.Kind}`,
        );
      if (response.ErrorMessage !== '') throw answeredWithError(call.method, response.ErrorMessage);
      return call.fromResponse(response as unknown as Record<string, unknown>);
    };
    gateway[call.method] = !CACHED_PER_REQUEST.has(call.method)
      ? ask
      : (...args: never[]) => {
          const key = `${call.method}:${Buffer.from(args[0] as Uint8Array).toString('hex')}`;
          if (cache.has(key)) return cache.get(key);
          const value = ask(...args);
          cache.set(key, value);
          return value;
        };
  }
  return gateway as unknown as BlockchainGateway;
}

/**
 * An answer with an error: the node could not answer (HookFailed, which aborts the execution), or, for
 * processBuiltInFunction, the built-in function itself failed (the execution fails with its text, as in the
 * reference).
 */
function answeredWithError(method: string, message: string): VMError {
  if (method === 'processBuiltInFunction') return new VMError(ErrorCode.BuiltinFunctionFailed, message);
  return new VMError(ErrorCode.HookFailed, `${method}: ${message}`);
}
