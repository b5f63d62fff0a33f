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
  DEFAULT_MAX_OUTPUT_BYTES,
  ErrorCode,
  assertContractInput,
  type BlockchainHook,
  type ContractCallInput,
  type ContractCreateInput,
  type CryptoHook,
  type GasScheduleMap,
  type VMExecutionHandler,
  type VMInput,
  type VMOutput,
} from '@vm/protocol';
import { getLogger } from '@vm/messenger';
import { BigIntContext } from './contexts/bigInts';
import { BlockchainContext } from './contexts/blockchain';
import { OutputContext, errorVMOutput, outputSize } from './contexts/output';
import { StorageContext } from './contexts/storage';
import { guardHook } from './contexts/hookGuard';
import { BIG_INT_EEI } from './eei/bigInt';
import { CRYPTO_EEI, createCryptoHook } from './eei/crypto';
import { MAIN_EEI } from './eei/main';
import { ASYNC_EEI } from './eei/async';
import { ETHEREUM_EEI } from './eei/ethereum';
import { NESTED_EEI } from './eei/nested';
import { buildImports, rowsByName, type EeiRow } from './eei/table';
import { HostError } from './errors';
import {
  handleAsyncCallBreakpoint,
  sendCallbackToCurrentCaller,
  type AsyncHost,
  type ChildResult,
} from './execution/asyncCalls';
import { callbackFunctionFor, processAsyncInfo, processCallbackStack } from './execution/promises';
import { Breakpoint, BreakpointSignal } from './execution/breakpoints';
import { ExecutionContext, type CallState, type NestedCalls, type TxState } from './execution/executionContext';
import { ContractInstance } from './execution/instance';
import { InstancePool } from './execution/instancePool';
import { MemoryPool } from './execution/memoryPool';
import { ModuleCache } from './execution/moduleCache';
import { isValidExportName, reservedExportNames } from './execution/reservedNames';
import { ContractError, VM_ERRORS } from './execution/vmErrors';
import { createGasSchedule, type GasSchedule } from './gas/gasSchedule';
import { INJECTED_BREAKPOINT, MEMORY_IMPORT } from './wasm/instrument';
import { CALL_DEPTH_BUDGET } from './wasm/limits';

/** The validator's reason for a rejected contract (its VMOutput keeps the reference's `invalid contract code`). */
const log = getLogger('arwen/host');

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
  /**
   * The bound on one execution's output (see OutputContext), DEFAULT_MAX_OUTPUT_BYTES by default. Through the
   * stack it follows the frame limit (outputLimitForFrame), the same default: set both alike.
   */
  maxOutputBytes?: number;
}

/** Every host function, one table. */
export const EEI_ROWS: readonly EeiRow[] = [
  ...MAIN_EEI,
  ...NESTED_EEI,
  ...ASYNC_EEI,
  ...BIG_INT_EEI,
  ...CRYPTO_EEI,
  ...ETHEREUM_EEI,
];

/** At most this many live instances (nesting depth 9 below the top level). */
export const MAX_INSTANCES = 10;

const INIT_FUNCTIONS = ['init', 'solidity.ctor'];
const CALLBACK_FUNCTION = 'callBack';
const UPGRADE_FUNCTION = 'upgradeContract';
const EMPTY = new Uint8Array(0);
const CREATE_CONTRACT_METADATA = Uint8Array.of(1, 0);

export class VMHost implements VMExecutionHandler, NestedCalls, AsyncHost {
  readonly schedule: GasSchedule;
  private readonly hook: BlockchainHook;
  private readonly crypto: CryptoHook;
  private readonly blockGasLimit: bigint;
  private readonly protectedPrefix: Uint8Array;
  private readonly vmType: Uint8Array;
  private readonly reservedNames: ReadonlySet<string>;
  private readonly builtinFunctions: ReadonlySet<string>;
  private readonly maxOutputBytes: number;
  private readonly modules: ModuleCache;
  private readonly imports: WebAssembly.Imports;
  private readonly memories = new MemoryPool();
  private readonly instances = new InstancePool();
  private readonly contexts: ExecutionContext[] = [];
  /** The async step's locked gas (reference: a single field, not stacked). */
  private gasLockedForAsyncStep = 0n;
  private tx: TxState = { function: '', arguments: [] };

  constructor(options: VMHostOptions) {
    this.schedule =
      'opcodeCosts' in options.gasSchedule
        ? (options.gasSchedule as GasSchedule)
        : createGasSchedule(options.gasSchedule as GasScheduleMap);
    this.hook = guardHook(options.blockchainHook);
    this.crypto = options.cryptoHook ?? createCryptoHook();
    this.blockGasLimit = options.blockGasLimit ?? 0n;
    const prefix = options.protectedKeyPrefix ?? DEFAULT_PROTECTED_KEY_PREFIX;
    this.protectedPrefix = typeof prefix === 'string' ? Buffer.from(prefix) : prefix;
    if (this.protectedPrefix.length === 0)
      throw new VMError(HostError.InvalidHostParameters, 'kalyan3104ProtectedKeyPrefix cannot be empty');
    this.vmType = options.vmType ?? DEFAULT_VM_TYPE;
    this.reservedNames = reservedExportNames(options.builtinFunctions ?? []);
    this.builtinFunctions = new Set(options.builtinFunctions ?? []);
    this.maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    if (!Number.isSafeInteger(this.maxOutputBytes) || this.maxOutputBytes <= 0)
      throw new VMError(HostError.InvalidHostParameters, `maxOutputBytes must be a positive integer`);
    this.modules = new ModuleCache(this.schedule, rowsByName(EEI_ROWS));
    this.imports = buildImports(EEI_ROWS, this.schedule, () => this.contexts[this.contexts.length - 1]);
  }

  /** Modules compiled so far (a call to cached code compiles nothing). */
  get compilations(): number {
    return this.modules.compilations;
  }

  /** Throws InvalidContractInput for values a node never sends, HookFailed when the node's hook fails. */
  runSmartContractCreate(input: ContractCreateInput): VMOutput {
    assertContractInput(input, 'create');
    return this.run(input, (output, blockchain) => {
      const address = blockchain.newAddress(input.CallerAddr ?? EMPTY);
      return this.deploy(
        input,
        address,
        input.ContractCode ?? EMPTY,
        input.ContractCodeMetadata,
        input.Arguments ?? [],
        output,
        blockchain,
      );
    });
  }

  /** Throws InvalidContractInput for values a node never sends, HookFailed when the node's hook fails. */
  runSmartContractCall(input: ContractCallInput): VMOutput {
    assertContractInput(input, 'call');
    const recipient = input.RecipientAddr ?? EMPTY;
    return this.run(input, (output, blockchain) => {
      if (input.Function === UPGRADE_FUNCTION) {
        const args = input.Arguments ?? [];
        if (args.length < 2) throw VM_ERRORS.upgradeInvalidArguments();
        return this.deploy(
          input,
          recipient,
          args[0] ?? EMPTY,
          args[1],
          args.slice(2),
          output,
          blockchain,
          input.Function,
        );
      }
      output.account(recipient).balanceDelta += input.CallValue ?? 0n;
      const code = blockchain.getCode(recipient);
      const { gas, lock } = this.deductForExecution(input.GasProvided, code, input.CallType);
      const ctx = this.context(input, recipient, input.Function, output, blockchain);
      this.start(ctx, code, gas);
      const requested =
        input.CallType === CallType.AsynchronousCallBack ? callbackFunctionFor(ctx, input.Function) : input.Function;
      const fn = this.functionToCall(ctx, requested, input.CallType);
      this.callExport(ctx, fn);
      if (input.CallType === CallType.AsynchronousCallBack) processCallbackStack(this, ctx);
      else {
        const pending = processAsyncInfo(this, ctx);
        if (input.CallType === CallType.AsynchronousCall && !pending) sendCallbackToCurrentCaller(ctx);
      }
      this.unlockGas(ctx, lock);
      const gasRemaining = ctx.gasLeft;
      return output.toVMOutput(gasRemaining);
    });
  }

  /** Runs a flow with fresh contexts; any ContractError becomes the reference's error VMOutput. */
  private run(input: VMInput, flow: (output: OutputContext, blockchain: BlockchainContext) => VMOutput): VMOutput {
    const output = new OutputContext(this.maxOutputBytes);
    const blockchain = new BlockchainContext(this.hook, () => output, this.vmType);
    this.contexts.length = 0;
    this.tx = {
      function: 'Function' in input ? (input as ContractCallInput).Function : '',
      arguments: (input.Arguments ?? []).map((a) => a ?? EMPTY),
    };
    try {
      return this.bounded(flow(output, blockchain));
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      return this.bounded(errorVMOutput(error.returnCode, errorMessage(error, output), this.gasLockedForAsyncStep));
    } finally {
      for (const ctx of this.contexts) this.releaseMemory(ctx);
      this.contexts.length = 0;
      this.gasLockedForAsyncStep = 0n;
    }
  }

  /** The output, or ExecutionFailed when it is over the bound (ours: a VMOutput always fits in a frame). */
  private bounded(result: VMOutput): VMOutput {
    const size = outputSize(result);
    if (size <= this.maxOutputBytes) return result;
    const { message } = VM_ERRORS.outputTooLarge(size, this.maxOutputBytes);
    return errorVMOutput(ReturnCode.ExecutionFailed, message, this.gasLockedForAsyncStep);
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
    const gas = deduct(
      input.GasProvided,
      costs.Kalyan3104APICost.CreateContract + costs.BaseOperationCost.CompilePerByte * BigInt(code.length),
    );
    const ctx = this.context({ ...input, Arguments: [...args] }, address, fn, output, blockchain);
    this.start(ctx, code, gas);
    this.verifyContractCode(ctx);
    const init = INIT_FUNCTIONS.find((name) => ctx.instance.hasFunction(name));
    if (init) this.callExport(ctx, init);
    output.deployCode(address, code, metadata);
    return output.toVMOutput(ctx.gasLeft);
  }

  /** A frame for a top-level execution: its own storage (at `address`) and big-integer table. */
  private context(
    input: VMInput,
    address: Uint8Array,
    fn: string,
    output: OutputContext,
    blockchain: BlockchainContext,
  ): ExecutionContext {
    const storage = new StorageContext(this.hook, () => output, this.schedule, this.protectedPrefix);
    storage.address = address;
    return this.frame(callState(input, fn), address, output, blockchain, storage, new BigIntContext());
  }

  private frame(
    call: CallState,
    address: Uint8Array,
    output: OutputContext,
    blockchain: BlockchainContext,
    storage: StorageContext,
    bigInts: BigIntContext,
  ): ExecutionContext {
    return new ExecutionContext(
      call,
      address,
      this.schedule,
      output,
      storage,
      blockchain,
      bigInts,
      this.crypto,
      this.blockGasLimit,
      this,
      this.tx,
    );
  }

  /** Compile (cached) and instantiate with the gas limit; any failure is ContractInvalid. */
  private start(ctx: ExecutionContext, code: Uint8Array, gasLimit: bigint): void {
    if (this.contexts.length >= MAX_INSTANCES) throw VM_ERRORS.maxInstancesReached();
    if (code.length === 0) throw VM_ERRORS.contractInvalid();
    const parent = this.contexts[this.contexts.length - 1];
    const depthLimit = parent ? Math.max(0, parent.instance.depthLimit - parent.instance.depth) : CALL_DEPTH_BUDGET;
    const compiled = this.modules.get(code);
    if (!compiled.ok) {
      log.debug('invalid contract code', { reason: compiled.reason });
      throw VM_ERRORS.contractInvalid();
    }
    const { memory } = compiled.contract;
    let instance: WebAssembly.Instance;
    let linearMemory: WebAssembly.Memory | undefined;
    const pooled = this.instances.acquire(compiled.contract);
    if (pooled) {
      instance = pooled.instance;
      linearMemory = pooled.memory;
    } else {
      linearMemory = memory && this.memories.acquire(memory.initial, memory.maximum);
      const imports = linearMemory
        ? { ...this.imports, [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: linearMemory } }
        : this.imports;
      try {
        instance = new WebAssembly.Instance(compiled.contract.module, imports);
      } catch (error) {
        if (error instanceof WebAssembly.RuntimeError || error instanceof WebAssembly.LinkError)
          throw VM_ERRORS.contractInvalid();
        throw error;
      }
    }
    ctx.instance = new ContractInstance(compiled.contract, instance, gasLimit, depthLimit, linearMemory);
    ctx.code = code;
    this.contexts.push(ctx);
  }

  // ------------------------------------------------------------------ nested executions (digest §3.3)

  /** The callee runs with its own storage and a fresh big-integer table; on success its output is merged. */
  executeOnDestContext(parent: ExecutionContext, input: ContractCallInput): void {
    const result = this.runOnDestContext(parent, input);
    if (result.returnCode !== ReturnCode.Ok) throw new ContractError(result.returnMessage, result.returnCode);
  }

  /** ExecuteOnDestContext, returning the callee's VMOutput (an error one if it failed) as the reference does. */
  runOnDestContext(parent: ExecutionContext, input: ContractCallInput): ChildResult {
    const output = parent.output;
    const saved = output.snapshot();
    output.censor();
    try {
      const recipient = input.RecipientAddr ?? EMPTY;
      parent.blockchain.transfer(recipient, input.CallerAddr ?? EMPTY, 0n, input.CallValue ?? 0n, null);
      const storage = new StorageContext(this.hook, () => output, this.schedule, this.protectedPrefix);
      storage.address = recipient;
      storage.readOnly = parent.readOnly;
      const { gasProvided: childGasProvided, pendingAsync } = this.execute(
        parent,
        this.frame(
          callState(input, input.Function),
          recipient,
          output,
          parent.blockchain,
          storage,
          new BigIntContext(),
        ),
        input,
      );
      // GetVMOutput after the callee's instance is gone: its gas measured against the caller's counter (a reference quirk).
      const used = parent.instance.pointsUsed;
      const result: ChildResult = {
        returnCode: output.returnCode,
        returnMessage: output.returnMessage,
        returnData: [...output.returnData],
        gasRemaining: childGasProvided > used ? childGasProvided - used : 0n,
        pendingAsync,
      };
      output.mergeOnto(saved);
      return result;
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      const result: ChildResult = {
        returnCode: error.returnCode,
        returnMessage: errorMessage(error, output),
        returnData: [],
        gasRemaining: this.gasLockedForAsyncStep,
        pendingAsync: false,
      };
      output.restore(saved);
      return result;
    }
  }

  isBuiltinFunction(name: string): boolean {
    return this.builtinFunctions.has(name);
  }

  /** DeductInitialGasForExecution: the compile cost, and for an asynchronous step the callback's gas lock. */
  private deductForExecution(gasProvided: bigint, code: Uint8Array, callType: CallType): { gas: bigint; lock: bigint } {
    let gas = deduct(gasProvided, this.schedule.costs.BaseOperationCost.CompilePerByte * BigInt(code.length));
    if (callType !== CallType.AsynchronousCall) return { gas, lock: 0n };
    const api = this.schedule.costs.Kalyan3104APICost;
    const lock = api.AsyncCallStep + api.AsyncCallbackGasLock;
    if (gas <= api.AsyncCallStep + lock) throw VM_ERRORS.notEnoughGas();
    gas -= api.AsyncCallStep + lock;
    this.gasLockedForAsyncStep = lock;
    return { gas, lock };
  }

  /** UnlockGasIfAsyncStep. */
  private unlockGas(ctx: ExecutionContext, lock: bigint): void {
    ctx.unlockedGas = lock;
    this.gasLockedForAsyncStep = 0n;
  }

  /** The callee runs on the caller's storage and big integers; everything is reverted if it fails. */
  executeOnSameContext(parent: ExecutionContext, input: ContractCallInput, readOnly: boolean): void {
    const output = parent.output;
    const saved = output.snapshot();
    const savedBigInts = parent.bigInts.clone();
    const wasReadOnly = parent.storage.readOnly;
    try {
      const recipient = input.RecipientAddr ?? EMPTY;
      parent.blockchain.transfer(recipient, input.CallerAddr ?? EMPTY, 0n, input.CallValue ?? 0n, null);
      parent.storage.readOnly = readOnly;
      this.execute(
        parent,
        this.frame(
          callState(input, input.Function),
          recipient,
          output,
          parent.blockchain,
          parent.storage,
          parent.bigInts,
        ),
        input,
      );
    } catch (error) {
      if (error instanceof ContractError) {
        output.restore(saved);
        parent.bigInts.restoreFrom(savedBigInts);
      }
      throw error;
    } finally {
      parent.storage.readOnly = wasReadOnly;
    }
  }

  /** CreateNewContract: all remaining gas goes to the new contract's init; the output is not reverted on failure. */
  createNewContract(
    parent: ExecutionContext,
    value: bigint,
    code: Uint8Array,
    args: Uint8Array[],
    gas: bigint,
    metadata: Uint8Array | null = CREATE_CONTRACT_METADATA,
  ): Uint8Array {
    parent.useGas(gas);
    if (parent.readOnly)
      throw new ContractError('operation not permitted in read only mode', ReturnCode.ExecutionFailed);
    const creator = parent.scAddress;
    const address = parent.blockchain.newAddress(creator);
    parent.blockchain.transfer(address, creator, 0n, value, null);
    parent.blockchain.increaseNonce(creator);
    const childGas = deduct(gas, this.schedule.costs.BaseOperationCost.CompilePerByte * BigInt(code.length));
    const call: CallState = { ...parent.call, caller: creator, arguments: args, callValue: value, function: '' };
    const child = this.frame(call, address, parent.output, parent.blockchain, parent.storage, parent.bigInts);
    this.start(child, code, childGas);
    try {
      this.verifyContractCode(child);
      const init = INIT_FUNCTIONS.find((name) => child.instance.hasFunction(name));
      if (init) this.callExport(child, init);
      parent.output.deployCode(address, code, metadata);
      parent.restoreGas(child.gasLeft);
    } finally {
      this.popFrame(child);
    }
    return address;
  }

  /** host.execute: a built-in function, or the callee's code in its own instance. Returns the callee's final GasProvided. */
  private execute(
    parent: ExecutionContext,
    child: ExecutionContext,
    input: ContractCallInput,
  ): { gasProvided: bigint; pendingAsync: boolean } {
    if (this.builtinFunctions.has(input.Function)) {
      this.callBuiltinFunction(parent, input);
      return { gasProvided: input.GasProvided, pendingAsync: false };
    }
    parent.useGas(input.GasProvided);
    if (INIT_FUNCTIONS.includes(input.Function)) throw VM_ERRORS.initCalledInRun();
    const code = parent.blockchain.getCode(input.RecipientAddr ?? EMPTY);
    const { gas, lock } = this.deductForExecution(input.GasProvided, code, input.CallType);
    this.start(child, code, gas);
    try {
      const fn = child.instance.hasFunction(input.Function)
        ? input.Function
        : child.instance.hasFunction('main')
          ? 'main'
          : undefined;
      if (fn === undefined) throw VM_ERRORS.funcNotFound();
      this.callExport(child, fn);
      if (child.output.returnCode !== ReturnCode.Ok) throw VM_ERRORS.returnCodeNotOk();
      // processAsyncInfo runs here, while the callee's instance still counts its gas (the reference runs it
      // after the instance is gone, against the caller's counter).
      const pendingAsync = input.CallType !== CallType.AsynchronousCallBack && processAsyncInfo(this, child);
      this.unlockGas(child, lock);
      parent.restoreGas(child.gasLeft);
      return { gasProvided: child.gasExhausted ? 0n : gas + lock, pendingAsync };
    } finally {
      this.popFrame(child);
    }
  }

  private callBuiltinFunction(parent: ExecutionContext, input: ContractCallInput): void {
    let result: VMOutput | null;
    try {
      result = this.hook.processBuiltInFunction(input);
    } catch (error) {
      if (!VMError.is(error, ErrorCode.BuiltinFunctionFailed)) throw error;
      parent.useGas(input.GasProvided);
      throw VM_ERRORS.executionFailed((error as VMError).detail ?? error.message);
    }
    if (!result) {
      parent.useGas(input.GasProvided);
      throw VM_ERRORS.executionFailed();
    }
    parent.useGas(input.GasProvided - result.GasRemaining);
    parent.output.addToActiveState(result);
  }

  private popFrame(ctx: ExecutionContext): void {
    const index = this.contexts.lastIndexOf(ctx);
    if (index >= 0) this.contexts.splice(index, 1);
    this.releaseMemory(ctx);
  }

  /** The finished frame's instance goes back to the instance pool (or its memory to the memory pool). */
  private releaseMemory(ctx: ExecutionContext): void {
    const instance = ctx.instance;
    if (!instance) return;
    const { contract } = instance;
    if (contract.layout.dataSegments !== undefined)
      this.instances.release(contract, instance.instance, instance.linearMemory);
    else if (contract.memory && instance.linearMemory)
      this.memories.release(instance.linearMemory, contract.memory.initial, contract.memory.maximum);
  }

  /** VerifyContractCode: an exported memory, and valid, void exported functions. */
  private verifyContractCode(ctx: ExecutionContext): void {
    const contract = ctx.instance.contract;
    if (contract.memoryExport === undefined) throw VM_ERRORS.contractInvalid();
    for (const [name, type] of contract.functions) {
      if (!isValidExportName(name, this.reservedNames) || type.params.length > 0 || type.results.length > 0)
        throw VM_ERRORS.contractInvalid();
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
      if (error instanceof BreakpointSignal && error.breakpoint === Breakpoint.AsyncCall)
        return handleAsyncCallBreakpoint(this, ctx);
      throw breakpointError(ctx, error);
    }
  }
}

/** CreateVMOutputInCaseOfError's message: a user error's own text, else a message already in the output, else the error's. */
function errorMessage(error: ContractError, output: OutputContext): string {
  return error.returnCode === ReturnCode.UserError || output.returnMessage === ''
    ? error.message
    : output.returnMessage;
}

function callState(input: VMInput, fn: string): CallState {
  return {
    caller: input.CallerAddr ?? EMPTY,
    arguments: (input.Arguments ?? []).map((a) => a ?? EMPTY),
    callValue: input.CallValue ?? 0n,
    function: fn,
    gasPrice: input.GasPrice,
    originalTxHash: input.OriginalTxHash ?? EMPTY,
    currentTxHash: input.CurrentTxHash ?? EMPTY,
  };
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
