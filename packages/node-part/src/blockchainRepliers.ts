/**
 * One replier per hook request kind (reference ipc/nodepart/blockchainRepliers.go), all driven by the shared
 * HOOK_CALLS table: call the node's (possibly asynchronous) BlockchainHook and build the response. A hook that
 * throws could not answer: the VM is told so in ErrorMessage (it aborts the execution) and the request fails with
 * HookFailed on the node side too, whatever the VM answers. An unknown kind is a critical error, never a no-op.
 */
import { getLogger } from '@vm/logging';
import {
  Capability,
  codeHash,
  createMessage,
  hasCapability,
  HOOK_CALLS,
  MessageKind,
  responseKindOf,
  kindName,
  VMError,
  ErrorCode,
  type Account,
  type AsyncBlockchainHook,
  type Message,
  type MessageOf,
  type WireKind,
} from '@vm/protocol';
import { accountByHash, type NodeSession } from './session';

/** The answer to a hook call, and the hook's failure if it could not answer (the request must then fail). */
export interface HookReply {
  readonly response: Message;
  readonly failure?: VMError;
}

export type Replier = (hook: AsyncBlockchainHook, request: Message, session?: NodeSession) => Promise<HookReply>;

const log = getLogger('arwenDriver');

const byHash = (session: NodeSession | undefined) =>
  session !== undefined && hasCapability(session.capabilities, Capability.CodeByHash);

/**
 * Answers one request of the VM: a hook call, or (capability CodeByHash) the code it asked for by hash. Under
 * CodeByHash an account's code is named by its hash instead of being sent.
 */
export async function replyToHookCall(
  hook: AsyncBlockchainHook,
  request: Message,
  session?: NodeSession,
): Promise<HookReply> {
  return answerHookCall(hook, request, session);
}

/**
 * replyToHookCall without a promise when the hook answers synchronously (the node's request loop then answers
 * the VM at once); a promise when the hook returns one. An unknown kind throws.
 */
export function answerHookCall(
  hook: AsyncBlockchainHook,
  request: Message,
  session?: NodeSession,
): HookReply | Promise<HookReply> {
  session?.onVmRequest?.(request);
  if (request.Kind === MessageKind.BlockchainGetCodeRequest && byHash(session)) return replyWithCode(hook, request);
  const call = HOOK_CALLS[request.Kind];
  const responseKind = responseKindOf(request.Kind);
  if (!call || responseKind === undefined)
    throw new VMError(ErrorCode.BadMessageFromArwen, `no replier for ${kindName(request.Kind) ?? request.Kind}`);
  const method = hook[call.method] as (...args: unknown[]) => unknown;
  const args = call.fromRequest(request as unknown as Record<string, unknown>);
  const accountByHashToo = request.Kind === MessageKind.BlockchainGetUserAccountRequest && byHash(session);
  const answer = (result: unknown, error = '') =>
    createMessage(
      responseKind as WireKind,
      call.toResponse(accountByHashToo && error === '' ? accountByHash(result as Account | null) : result) as never,
      error,
    ) as Message;
  const failed = (error: unknown): HookReply => {
    if (error instanceof VMError && error.critical) throw error;
    // a built-in function's own failure is its outcome, carried as the reference does (ErrorMessage)
    if (VMError.is(error, ErrorCode.BuiltinFunctionFailed)) return { response: answer(null, error.detail ?? '') };
    return hookFailure(request, error instanceof Error ? error.message : String(error), error);
  };
  try {
    const result = method.apply(hook, args);
    if (isPromiseLike(result))
      return Promise.resolve(result)
        .then((value) => ({ response: answer(value) }))
        .catch(failed);
    return { response: answer(result) };
  } catch (error) {
    return failed(error);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The code of the account, if it is still the one the VM was told about (its hash). */
async function replyWithCode(hook: AsyncBlockchainHook, request: Message): Promise<HookReply> {
  const { Address, CodeHash } = request as MessageOf<MessageKind.BlockchainGetCodeRequest>;
  try {
    const code = ((await hook.getUserAccount(Address ?? new Uint8Array(0))) as Account | null)?.Code ?? null;
    if (!code || !CodeHash || !Buffer.from(codeHash(code)).equals(Buffer.from(CodeHash)))
      throw new Error('the account no longer has the code of that hash');
    return { response: createMessage(MessageKind.BlockchainGetCodeResponse, { Code: code }) };
  } catch (error) {
    if (error instanceof VMError && error.critical) throw error;
    return hookFailure(request, error instanceof Error ? error.message : String(error), error);
  }
}

/** The reply to a hook call the node could not answer (the hook threw, or its answer cannot be sent). */
export function hookFailure(request: Message, reason: string, cause?: unknown): HookReply {
  if (request.Kind === MessageKind.BlockchainGetCodeRequest) {
    // the code is the account's: its failure is getUserAccount's, as when the code came with the account
    log.error('blockchain hook failed: the request fails', { method: 'getUserAccount', err: reason });
    return {
      response: createMessage(MessageKind.BlockchainGetCodeResponse, { Code: null }, reason),
      failure: new VMError(ErrorCode.HookFailed, `getUserAccount: ${reason}`, { cause }),
    };
  }
  const call = HOOK_CALLS[request.Kind];
  const responseKind = responseKindOf(request.Kind);
  if (!call || responseKind === undefined)
    throw new VMError(ErrorCode.BadMessageFromArwen, `no replier for ${kindName(request.Kind) ?? request.Kind}`);
  log.error('blockchain hook failed: the request fails', { method: call.method, err: reason });
  const failure = new VMError(ErrorCode.HookFailed, `${call.method}: ${reason}`, { cause });
  const response = createMessage(responseKind as WireKind, call.toResponse(null) as never, reason) as Message;
  return { response, failure };
}
