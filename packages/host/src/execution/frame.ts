/** Building frames: a top-level execution's (its own storage and big integers) and a nested call's call state. */
import type { ContractCallInput, VMInput } from '@vm/protocol';
import { BigIntContext } from '../contexts/bigInts';
import type { BlockchainContext } from '../contexts/blockchain';
import type { OutputContext } from '../contexts/output';
import { StorageContext } from '../contexts/storage';
import { NO_BYTES, ExecutionContext, type CallState } from './executionContext';
import type { Host } from './host';
import { presentArguments } from './outcome';

export interface TopFrameOptions {
  readonly input: VMInput;
  readonly address: Uint8Array;
  /** The function called ('' for a deploy). */
  readonly fn: string;
  /** The arguments, when not the input's (an upgrade's init gets the arguments after code and metadata). */
  readonly args?: readonly (Uint8Array | null)[];
  readonly output: OutputContext;
  readonly blockchain: BlockchainContext;
}

/** A frame for a top-level execution: its own storage (at `address`) and big-integer table. */
export function topFrame(host: Host, options: TopFrameOptions): ExecutionContext {
  const { config } = host;
  const { output } = options;
  const storage = new StorageContext(config.hook, output, config.schedule, config.protectedPrefix);
  storage.address = options.address;
  return new ExecutionContext({
    // a top-level frame runs the transaction's own input: its argument list is the one runToOutcome made
    call: callState(options.input, options.fn, options.args, options.args ? undefined : host.tx.arguments),
    address: options.address,
    output,
    storage,
    blockchain: options.blockchain,
    bigInts: new BigIntContext(),
    host,
  });
}

/**
 * A nested call's frame (executeOnDestContext / executeOnSameContext): the call value moves from caller to
 * recipient first, then the callee's frame shares the caller's output, storage and blockchain contexts; the
 * big-integer table is the caller's (same context) or a fresh one (destination context).
 */
export function nestedFrame(
  host: Host,
  parent: ExecutionContext,
  input: ContractCallInput,
  bigInts: BigIntContext,
): ExecutionContext {
  const recipient = input.RecipientAddr ?? NO_BYTES;
  parent.blockchain.transfer({
    destination: recipient,
    sender: input.CallerAddr ?? NO_BYTES,
    value: input.CallValue ?? 0n,
  });
  return new ExecutionContext({
    call: callState(input, input.Function),
    address: recipient,
    output: parent.output,
    storage: parent.storage,
    blockchain: parent.blockchain,
    bigInts,
    host,
  });
}

/** The parts of an input the contract API reads (`present`: its arguments, already made present). */
export function callState(
  input: VMInput,
  fn: string,
  args: readonly (Uint8Array | null)[] | null = input.Arguments,
  present?: readonly Uint8Array[],
): CallState {
  return {
    caller: input.CallerAddr ?? NO_BYTES,
    arguments: present ?? presentArguments(args),
    callValue: input.CallValue ?? 0n,
    function: fn,
    gasPrice: input.GasPrice,
    originalTxHash: input.OriginalTxHash ?? NO_BYTES,
    currentTxHash: input.CurrentTxHash ?? NO_BYTES,
  };
}
