/**
 * The one place the VM calls the node's BlockchainHook. Absent data is a normal answer (null or empty); a hook that
 * throws means the node could not answer, and the execution must not go on with a made-up value: the error
 * becomes `VMError(HookFailed)` (logged at error level), which aborts the whole execution instead of becoming a
 * contract outcome. The node's own typed errors pass through unchanged (a transport failure stays critical; a
 * built-in function's `BuiltinFunctionFailed` is its outcome).
 */
import { blockchainHookMethods, ErrorCode, VMError, type BlockchainHook } from '@vm/protocol';
import { getLogger } from '@vm/logging';
import { HostError } from '../errors';

const log = getLogger('arwen/host');

/** A hook whose every method turns a failure into HookFailed; refuses a hook object that lacks a method. */
export function guardHook(hook: BlockchainHook): BlockchainHook {
  const guarded: Record<string, unknown> = {};
  const methods = hook as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of blockchainHookMethods()) {
    if (typeof methods?.[method] !== 'function')
      throw new VMError(HostError.InvalidHostParameters, `the blockchain hook has no method ${method}`);
    // looked up at each call: a node may swap a method of its hook object
    guarded[method] = (...args: unknown[]) => {
      try {
        return methods[method].apply(hook, args);
      } catch (error) {
        throw hookFailed(method, error);
      }
    };
  }
  return guarded as unknown as BlockchainHook;
}

function hookFailed(method: string, error: unknown): unknown {
  if (error instanceof VMError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  log.error('blockchain hook failed: the execution is aborted', { method, err: reason });
  return new VMError(ErrorCode.HookFailed, `${method}: ${reason}`, { cause: error });
}
