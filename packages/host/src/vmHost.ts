/**
 * The VM host: runs contract deployments and calls in process, synchronously, against a BlockchainHook.
 * Flows follow the reference (digest §2): deploy, call, upgrade, init/callBack rules, the `main` fallback,
 * breakpoints, VMOutput assembly. Every failure is a VMOutput; only a broken hook or a bug throws.
 */
import {
  CallType,
  DEFAULT_PROTECTED_KEY_PREFIX,
  DEFAULT_VM_TYPE,
  ReturnCode,
  VMError,
  type BlockchainHook,
  type ContractCallInput,
  type ContractCreateInput,
  type CryptoHook,
  type GasScheduleMap,
  type VMExecutionHandler,
  type VMInput,
  type VMOutput,
} from '@vm/protocol';
import { BigIntContext } from './contexts/bigInts';
import { BlockchainContext } from './contexts/blockchain';
import { OutputContext, errorVMOutput } from './contexts/output';
import { StorageContext } from './contexts/storage';
import { BIG_INT_EEI } from './eei/bigInt';
import { CRYPTO_EEI, createCryptoHook } from './eei/crypto';
import { MAIN_EEI } from './eei/main';
import { buildImports, rowsByName, type EeiRow } from './eei/table';
import { HostError } from './errors';
import { Breakpoint, BreakpointSignal } from './execution/breakpoints';
import { ExecutionContext, type CallState } from './execution/executionContext';
import { ContractInstance } from './execution/instance';
import { MemoryPool } from './execution/memoryPool';
import { ModuleCache } from './execution/moduleCache';
import { isValidExportName, reservedExportNames } from './execution/reservedNames';
import { ContractError, VM_ERRORS } from './execution/vmErrors';
import { createGasSchedule, type GasSchedule } from './gas/gasSchedule';
import { INJECTED_BREAKPOINT, MEMORY_IMPORT } from './wasm/instrument';
import { CALL_DEPTH_BUDGET } from './wasm/limits';

export interface VMHostOptions {
  blockchainHook: BlockchainHook;
  gasSchedule: GasSchedule | GasScheduleMap;
  /** Built in (sha256, keccak256, ripemd160) when omitted. */
  cryptoHook?: CryptoHook;
  blockGasLimit?: bigint;
  /** Storage keys with this prefix are reserved to the protocol. Must not be empty. Default `KALYAN3104`. */
  protectedKeyPrefix?: Uint8Array | string;
  vmType?: Uint8Array;
  /** The protocol's built-in function names (reserved as export names). */
  builtinFunctions?: readonly string[];
}

/** Every host function, one table. */
export const EEI_ROWS: readonly EeiRow[] = [...MAIN_EEI, ...BIG_INT_EEI, ...CRYPTO_EEI];

const INIT_FUNCTIONS = ['init', 'solidity.ctor'];
const CALLBACK_FUNCTION = 'callBack';
const UPGRADE_FUNCTION = 'upgradeContract';
const EMPTY = new Uint8Array(0);

export class VMHost implements VMExecutionHandler {
  readonly schedule: GasSchedule;
  private readonly hook: BlockchainHook;
  private readonly crypto: CryptoHook;
  private readonly blockGasLimit: bigint;
  private readonly protectedPrefix: Uint8Array;
  private readonly vmType: Uint8Array;
  private readonly reservedNames: ReadonlySet<string>;
  private readonly modules: ModuleCache;
  private readonly imports: WebAssembly.Imports;
  private readonly memories = new MemoryPool();
  private readonly contexts: ExecutionContext[] = [];
  /** The async step's locked gas (reference: a single field, not stacked). */
  private gasLockedForAsyncStep = 0n;

  constructor(options: VMHostOptions) {
    this.schedule = 'opcodeCosts' in options.gasSchedule ? (options.gasSchedule as GasSchedule) : createGasSchedule(options.gasSchedule as GasScheduleMap);
    this.hook = options.blockchainHook;
    this.crypto = options.cryptoHook ?? createCryptoHook();
    this.blockGasLimit = options.blockGasLimit ?? 0n;
    const prefix = options.protectedKeyPrefix ?? DEFAULT_PROTECTED_KEY_PREFIX;
    this.protectedPrefix = typeof prefix === 'string' ? Buffer.from(prefix) : prefix;
    if (this.protectedPrefix.length === 0) throw new VMError(HostError.InvalidHostParameters, 'kalyan3104ProtectedKeyPrefix cannot be empty');
    this.vmType = options.vmType ?? DEFAULT_VM_TYPE;
    this.reservedNames = reservedExportNames(options.builtinFunctions ?? []);
    this.modules = new ModuleCache(this.schedule, rowsByName(EEI_ROWS));
    this.imports = buildImports(EEI_ROWS, () => this.contexts[this.contexts.length - 1]);
  }

  /** Modules compiled so far (a call to cached code compiles nothing). */
  get compilations(): number {
    return this.modules.compilations;
  }

  runSmartContractCreate(input: ContractCreateInput): VMOutput {
    return this.run(input, (output, blockchain) => {
      let address: Uint8Array;
      try {
        address = blockchain.newAddress(input.CallerAddr ?? EMPTY);
      } catch (error) {
        throw hookFailure(error);
      }
      return this.deploy(input, address, input.ContractCode ?? EMPTY, input.ContractCodeMetadata, input.Arguments ?? [], output, blockchain);
    });
  }

  runSmartContractCall(input: ContractCallInput): VMOutput {
    const recipient = input.RecipientAddr ?? EMPTY;
    return this.run(input, (output, blockchain) => {
      if (input.Function === UPGRADE_FUNCTION) {
        const args = input.Arguments ?? [];
        if (args.length < 2) throw VM_ERRORS.upgradeInvalidArguments();
        return this.deploy(input, recipient, args[0] ?? EMPTY, args[1], args.slice(2), output, blockchain, input.Function);
      }
      output.account(recipient).balanceDelta += input.CallValue ?? 0n;
      const code = blockchain.getCode(recipient);
      let gas = deduct(input.GasProvided, this.schedule.costs.BaseOperationCost.CompilePerByte * BigInt(code.length));
      let locked = 0n;
      if (input.CallType === CallType.AsynchronousCall) {
        const api = this.schedule.costs.Kalyan3104APICost;
        locked = api.AsyncCallStep + api.AsyncCallbackGasLock;
        const total = api.AsyncCallStep + locked;
        if (gas <= total) throw VM_ERRORS.notEnoughGas();
        gas -= total;
        this.gasLockedForAsyncStep = locked;
      }
      const ctx = this.context(input, recipient, input.Function, output, blockchain);
      this.start(ctx, code, gas);
      const fn = this.functionToCall(ctx, input.Function, input.CallType);
      this.callExport(ctx, fn);
      const gasRemaining = ctx.gasLeft + locked;
      this.gasLockedForAsyncStep = 0n;
      return output.toVMOutput(gasRemaining);
    });
  }

  /** Runs a flow with fresh contexts; any ContractError becomes the reference's error VMOutput. */
  private run(input: VMInput, flow: (output: OutputContext, blockchain: BlockchainContext) => VMOutput): VMOutput {
    const output = new OutputContext();
    const blockchain = new BlockchainContext(this.hook, () => output, this.vmType);
    this.contexts.length = 0;
    try {
      return flow(output, blockchain);
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      const message = error.returnCode === ReturnCode.UserError || output.returnMessage === '' ? error.message : output.returnMessage;
      return errorVMOutput(error.returnCode, message, this.gasLockedForAsyncStep);
    } finally {
      for (const ctx of this.contexts) this.releaseMemory(ctx);
      this.contexts.length = 0;
      this.gasLockedForAsyncStep = 0n;
    }
  }

  /** performCodeDeploy (§2.1 steps 3-6), for deploys and upgrades. */
  private deploy(
    input: VMInput,
    address: Uint8Array,
    code: Uint8Array,
    metadata: Uint8Array | null,
    args: readonly (Uint8Array | null)[],
    output: OutputContext,
    blockchain: BlockchainContext,
    fn = '',
  ): VMOutput {
    output.account(address).balanceDelta += input.CallValue ?? 0n;
    const costs = this.schedule.costs;
    const gas = deduct(input.GasProvided, costs.Kalyan3104APICost.CreateContract + costs.BaseOperationCost.CompilePerByte * BigInt(code.length));
    const ctx = this.context({ ...input, Arguments: [...args] }, address, fn, output, blockchain);
    this.start(ctx, code, gas);
    this.verifyContractCode(ctx);
    const init = INIT_FUNCTIONS.find((name) => ctx.instance.hasFunction(name));
    if (init) this.callExport(ctx, init);
    output.deployCode(address, code, metadata);
    return output.toVMOutput(ctx.gasLeft);
  }

  private context(input: VMInput, address: Uint8Array, fn: string, output: OutputContext, blockchain: BlockchainContext): ExecutionContext {
    const call: CallState = {
      caller: input.CallerAddr ?? EMPTY,
      arguments: (input.Arguments ?? []).map((a) => a ?? EMPTY),
      callValue: input.CallValue ?? 0n,
      function: fn,
      gasPrice: input.GasPrice,
      originalTxHash: input.OriginalTxHash ?? EMPTY,
      currentTxHash: input.CurrentTxHash ?? EMPTY,
    };
    const storage = new StorageContext(this.hook, () => output, this.schedule, this.protectedPrefix);
    storage.address = address;
    return new ExecutionContext(call, address, this.schedule, output, storage, blockchain, new BigIntContext(), this.crypto, this.blockGasLimit);
  }

  /** Compile (cached) and instantiate with the gas limit; any failure is ContractInvalid. */
  private start(ctx: ExecutionContext, code: Uint8Array, gasLimit: bigint): void {
    if (code.length === 0) throw VM_ERRORS.contractInvalid();
    const compiled = this.modules.get(code);
    if (!compiled.ok) throw VM_ERRORS.contractInvalid();
    const { memory } = compiled.contract;
    const linearMemory = memory && this.memories.acquire(memory.initial, memory.maximum);
    const imports = linearMemory ? { ...this.imports, [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: linearMemory } } : this.imports;
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(compiled.contract.module, imports);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError || error instanceof WebAssembly.LinkError) throw VM_ERRORS.contractInvalid();
      throw error;
    }
    ctx.instance = new ContractInstance(compiled.contract, instance, gasLimit, CALL_DEPTH_BUDGET, linearMemory);
    this.contexts.push(ctx);
  }

  private releaseMemory(ctx: ExecutionContext): void {
    const memory = ctx.instance?.contract.memory;
    const object = ctx.instance?.linearMemory;
    if (memory && object) this.memories.release(object, memory.initial, memory.maximum);
  }

  /** VerifyContractCode: an exported memory, and valid, void exported functions. */
  private verifyContractCode(ctx: ExecutionContext): void {
    const contract = ctx.instance.contract;
    if (contract.memoryExport === undefined) throw VM_ERRORS.contractInvalid();
    for (const [name, type] of contract.functions) {
      if (!isValidExportName(name, this.reservedNames) || type.params.length > 0 || type.results.length > 0) throw VM_ERRORS.contractInvalid();
    }
  }

  private functionToCall(ctx: ExecutionContext, fn: string, callType: CallType): string {
    if (INIT_FUNCTIONS.includes(fn)) throw VM_ERRORS.initCalledInRun();
    if (fn === CALLBACK_FUNCTION && callType !== CallType.AsynchronousCallBack) throw VM_ERRORS.callBackCalledInRun();
    if (ctx.instance.hasFunction(fn)) return fn;
    if (ctx.instance.hasFunction('main')) return 'main';
    throw VM_ERRORS.funcNotFound();
  }

  /** Calls an export and maps how it stopped (breakpoint, trap) to the reference's errors. */
  private callExport(ctx: ExecutionContext, name: string): void {
    if ((ctx.instance.contract.functions.get(name)?.params.length ?? 0) > 0) throw VM_ERRORS.executionFailed();
    try {
      ctx.instance.call(name);
    } catch (error) {
      throw breakpointError(ctx, error);
    }
  }
}

function breakpointError(ctx: ExecutionContext, error: unknown): ContractError {
  if (error instanceof BreakpointSignal) {
    switch (error.breakpoint) {
      case Breakpoint.ExecutionFailed:
        return VM_ERRORS.executionFailed(ctx.output.returnMessage || undefined);
      case Breakpoint.SignalError:
        return new ContractError(ctx.output.returnMessage, ReturnCode.UserError);
      case Breakpoint.OutOfGas:
        return VM_ERRORS.notEnoughGas();
      default:
        return VM_ERRORS.unhandledBreakpoint();
    }
  }
  if (error instanceof WebAssembly.RuntimeError) {
    if (ctx.instance.breakpoint === INJECTED_BREAKPOINT.outOfGas) return VM_ERRORS.notEnoughGas();
    if (ctx.instance.breakpoint === INJECTED_BREAKPOINT.callDepth) return VM_ERRORS.callStackOverflow();
    return VM_ERRORS.executionFailed();
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) return VM_ERRORS.executionFailed();
  throw error;
}

/** GasProvided minus an initial cost, or OutOfGas "not enough gas". */
function deduct(gasProvided: bigint, cost: bigint): bigint {
  if (cost > gasProvided) throw VM_ERRORS.notEnoughGas();
  return gasProvided - cost;
}

/** A hook's own error becomes the execution's failure message; a transport failure (VMError) aborts. */
function hookFailure(error: unknown): unknown {
  if (error instanceof VMError || !(error instanceof Error)) return error;
  return VM_ERRORS.executionFailed(error.message);
}
