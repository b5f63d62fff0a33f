/**
 * One replier per hook request kind (reference ipc/nodepart/blockchainRepliers.go), all driven by the shared
 * HOOK_CALLS table: call the node's (possibly asynchronous) BlockchainHook and build the response. A hook that
 * can fail reports its error in ErrorMessage; an unknown kind is a critical error, never a no-op answer.
 */
import {
  createMessage,
  HOOK_CALLS,
  responseKindOf,
  kindName,
  VMError,
  ErrorCode,
  type AsyncBlockchainHook,
  type Message,
  type WireKind,
} from '@vm/protocol';

export type Replier = (hook: AsyncBlockchainHook, request: Message) => Promise<Message>;

export async function replyToHookCall(hook: AsyncBlockchainHook, request: Message): Promise<Message> {
  const call = HOOK_CALLS[request.Kind];
  const responseKind = responseKindOf(request.Kind);
  if (!call || responseKind === undefined)
    throw new VMError(ErrorCode.BadMessageFromArwen, `no replier for ${kindName(request.Kind) ?? request.Kind}`);
  const method = hook[call.method] as (...args: unknown[]) => unknown;
  const args = call.fromRequest(request as unknown as Record<string, unknown>);
  try {
    const result = await method.apply(hook, args);
    return createMessage(responseKind as WireKind, call.toResponse(result) as never) as Message;
  } catch (error) {
    if (error instanceof VMError && error.critical) throw error;
    if (!call.canFail)
      throw new VMError(
        ErrorCode.CannotSendHookCallResponse,
        `${call.method} failed and has no error channel: ${(error as Error).message}`,
        { cause: error },
      );
    return createMessage(responseKind as WireKind, call.toResponse(null) as never, (error as Error).message) as Message;
  }
}
