/**
 * ExecuteOnSameContext (digest §3.3; also delegateExecution, executeReadOnly and the ethereum calls): the callee's
 * code runs on the caller's storage and big integers; if it fails, output and big integers go back to what they were.
 */
import type { ContractCallInput } from '@vm/protocol';
import { executeChild } from './call';
import { ContractError } from './contractErrors';
import type { ExecutionContext } from './executionContext';
import { nestedFrame } from './frame';
import type { Host } from './host';

export function executeOnSameContext(
  host: Host,
  parent: ExecutionContext,
  input: ContractCallInput,
  readOnly: boolean,
): void {
  const { output, bigInts, storage } = parent;
  output.pushState();
  bigInts.pushState();
  storage.pushState();
  try {
    storage.readOnly = readOnly;
    const child = nestedFrame(host, parent, input, bigInts);
    executeChild(host, parent, child, input);
    output.popDiscard();
    bigInts.popDiscard();
  } catch (error) {
    if (error instanceof ContractError) {
      output.popSetActiveState();
      bigInts.popSetActiveState();
    }
    throw error;
  } finally {
    storage.popSetActiveState();
  }
}
