/**
 * How an execution ends as a VMOutput: every flow runs inside `runToOutcome`, which gives it fresh contexts and
 * turns a ContractError (and nothing else: a bug or a HookFailed propagates) into the reference's error output
 * (CreateVMOutputInCaseOfError); how a stopped instance maps to an error (handleBreakpointIfAny, §2.4); and the
 * output bound.
 */
import { ReturnCode, type ContractCallInput, type VMInput, type VMOutput } from '@vm/protocol';
import { BlockchainContext } from '../contexts/blockchain';
import { OutputContext, outputSize } from '../contexts/output';
import { INJECTED_BREAKPOINT } from '../wasm/instrument';
import { Breakpoint, BreakpointSignal } from './breakpoints';
import { ContractError, contractError, outcomeError } from './contractErrors';
import { NO_BYTES, type ExecutionContext } from './executionContext';
import type { Host } from './host';

/** An empty VMOutput with a code and a message: a transaction refused before the VM ran (e.g. unpaid gas). */
export function refusalOutput(returnCode: ReturnCode, message: string, gasRemaining = 0n): VMOutput {
  return {
    ReturnData: [],
    ReturnCode: returnCode,
    ReturnMessage: message,
    GasRemaining: gasRemaining,
    GasRefund: 0n,
    OutputAccounts: [],
    DeletedAccounts: [],
    TouchedAccounts: [],
    Logs: [],
  };
}

/** `CreateVMOutputInCaseOfError`: a fresh output with only the code, the message and the locked gas. */
export function errorVMOutput(returnCode: ReturnCode, message: string, gasRemaining: bigint): VMOutput {
  return {
    ReturnData: null,
    ReturnCode: returnCode,
    ReturnMessage: message,
    GasRemaining: gasRemaining,
    GasRefund: 0n,
    OutputAccounts: null,
    DeletedAccounts: null,
    TouchedAccounts: null,
    Logs: null,
  };
}

export type Flow<I extends VMInput> = (
  host: Host,
  input: I,
  output: OutputContext,
  blockchain: BlockchainContext,
) => VMOutput;

/** Runs a flow with fresh contexts; a ContractError becomes the reference's error VMOutput. */
export function runToOutcome<I extends VMInput>(host: Host, input: I, flow: Flow<I>): VMOutput {
  const { config } = host;
  const output = new OutputContext(config.maxOutputBytes);
  const blockchain = new BlockchainContext(config.hook, output, config.vmType);
  host.tx = {
    function: 'Function' in input ? (input as unknown as ContractCallInput).Function : '',
    arguments: presentArguments(input.Arguments),
  };
  try {
    return bounded(host, flow(host, input, output, blockchain));
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    return bounded(host, errorVMOutput(error.returnCode, errorMessage(error, output), host.asyncLock.locked));
  } finally {
    host.instances.endAll();
    host.asyncLock.locked = 0n;
  }
}

/** The arguments, a missing one as empty bytes. */
export function presentArguments(args: readonly (Uint8Array | null)[] | null | undefined): Uint8Array[] {
  if (!args) return [];
  const present = new Array<Uint8Array>(args.length);
  for (let i = 0; i < args.length; i++) present[i] = args[i] ?? NO_BYTES;
  return present;
}

/** The output, or ExecutionFailed when it is over the bound (ours: a VMOutput always fits in a frame). */
function bounded(host: Host, result: VMOutput): VMOutput {
  const limit = host.config.maxOutputBytes;
  const size = outputSize(result);
  if (size <= limit) return result;
  const { message } = contractError('outputTooLarge', size, limit);
  return errorVMOutput(ReturnCode.ExecutionFailed, message, host.asyncLock.locked);
}

/** CreateVMOutputInCaseOfError's message: a user error's own text, else a message already in the output, else the error's. */
export function errorMessage(error: ContractError, output: OutputContext): string {
  return error.returnCode === ReturnCode.UserError || output.returnMessage === ''
    ? error.message
    : output.returnMessage;
}

/** handleBreakpointIfAny: how a stopped instance (a breakpoint, a trap) maps to the reference's errors. */
export function breakpointError(ctx: ExecutionContext, error: unknown): ContractError {
  if (error instanceof BreakpointSignal) {
    switch (error.breakpoint) {
      case Breakpoint.ExecutionFailed:
        return contractError('executionFailed', ctx.output.returnMessage || undefined);
      case Breakpoint.SignalError:
        return outcomeError(ReturnCode.UserError, ctx.output.returnMessage);
      case Breakpoint.OutOfGas:
        return contractError('notEnoughGas');
      default:
        return contractError('unhandledBreakpoint');
    }
  }
  if (error instanceof WebAssembly.RuntimeError) {
    if (ctx.instance.breakpoint === INJECTED_BREAKPOINT.outOfGas) return contractError('notEnoughGas');
    if (ctx.instance.breakpoint === INJECTED_BREAKPOINT.callDepth) return contractError('callStackOverflow');
    return contractError('executionFailed');
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) return contractError('executionFailed');
  throw error;
}
