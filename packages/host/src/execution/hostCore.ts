/**
 * The host's state (configuration, instance stack, async gas lock, the transaction) and the nested calls the
 * contract API makes, each implemented by its own flow (destContext, sameContext, create).
 */
import type { ContractCallInput } from '@vm/protocol';
import type { ChildResult } from './asyncCalls';
import { createNewContract } from './create';
import { executeOnDestContext, runOnDestContext } from './destContext';
import type { CreateContractOptions, ExecutionContext, TxState } from './executionContext';
import type { Host, HostConfig } from './host';
import { Instances } from './instances';
import { AsyncStepLock } from './metering';
import type { ModuleCache } from './moduleCache';
import { executeOnSameContext } from './sameContext';

export class HostCore implements Host {
  readonly instances: Instances;
  readonly asyncLock = new AsyncStepLock();
  tx: TxState = { function: '', arguments: [] };

  constructor(
    readonly config: HostConfig,
    modules: ModuleCache,
    /** Builds the import object; its host functions call into `current()`, the frame on top. */
    imports: (current: () => ExecutionContext) => WebAssembly.Imports,
  ) {
    this.instances = new Instances(modules, imports);
  }

  get schedule() {
    return this.config.schedule;
  }

  get crypto() {
    return this.config.crypto;
  }

  get blockGasLimit() {
    return this.config.blockGasLimit;
  }

  executeOnDestContext(parent: ExecutionContext, input: ContractCallInput): void {
    executeOnDestContext(this, parent, input);
  }

  runOnDestContext(parent: ExecutionContext, input: ContractCallInput): ChildResult {
    return runOnDestContext(this, parent, input);
  }

  executeOnSameContext(parent: ExecutionContext, input: ContractCallInput, readOnly: boolean): void {
    executeOnSameContext(this, parent, input, readOnly);
  }

  createNewContract(parent: ExecutionContext, options: CreateContractOptions): Uint8Array {
    return createNewContract(this, parent, options);
  }

  isBuiltinFunction(name: string): boolean {
    return this.config.builtinFunctions.has(name);
  }
}
