/**
 * The VM host: runs contract deployments and calls in process, synchronously, against a BlockchainHook. A thin
 * façade: it checks the options and the inputs, and runs the flows of `execution/` (deploy.ts, call.ts, and the
 * nested calls of destContext.ts, sameContext.ts, create.ts) on one HostCore. Every failure is a VMOutput; only a
 * broken hook or a bug throws.
 */
import {
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_PROTECTED_KEY_PREFIX,
  DEFAULT_VM_TYPE,
  VMError,
  assertContractInput,
  type BlockchainHook,
  type ContractCallInput,
  type ContractCreateInput,
  type CryptoHook,
  type GasScheduleMap,
  type VMExecutionHandler,
  type VMOutput,
} from '@vm/protocol';
import { guardHook } from './contexts/hookGuard';
import { EEI_ROWS } from './eei/rows';
import { createCryptoHook } from './eei/crypto';
import { buildImports, rowsByName } from './eei/table';
import { HostError } from './errors';
import { runCall } from './execution/call';
import { runDeploy, runUpgrade } from './execution/deploy';
import { HostCore } from './execution/hostCore';
import { ModuleCache } from './execution/moduleCache';
import { runToOutcome } from './execution/outcome';
import { reservedExportNames, UPGRADE_FUNCTION } from './execution/reservedNames';
import { createGasSchedule, type GasSchedule } from './gas/gasSchedule';

export { EEI_ROWS };

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

export class VMHost implements VMExecutionHandler {
  readonly schedule: GasSchedule;
  private readonly modules: ModuleCache;
  private readonly core: HostCore;

  constructor(options: VMHostOptions) {
    const schedule =
      'opcodeCosts' in options.gasSchedule
        ? (options.gasSchedule as GasSchedule)
        : createGasSchedule(options.gasSchedule as GasScheduleMap);
    this.schedule = schedule;
    const prefix = options.protectedKeyPrefix ?? DEFAULT_PROTECTED_KEY_PREFIX;
    const protectedPrefix = typeof prefix === 'string' ? Buffer.from(prefix) : prefix;
    if (protectedPrefix.length === 0)
      throw new VMError(HostError.InvalidHostParameters, 'kalyan3104ProtectedKeyPrefix cannot be empty');
    const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    if (!Number.isSafeInteger(maxOutputBytes) || maxOutputBytes <= 0)
      throw new VMError(HostError.InvalidHostParameters, `maxOutputBytes must be a positive integer`);
    const builtinFunctions = options.builtinFunctions ?? [];
    this.modules = new ModuleCache(schedule, rowsByName(EEI_ROWS));
    this.core = new HostCore(
      {
        schedule,
        hook: guardHook(options.blockchainHook),
        crypto: options.cryptoHook ?? createCryptoHook(),
        blockGasLimit: options.blockGasLimit ?? 0n,
        protectedPrefix,
        vmType: options.vmType ?? DEFAULT_VM_TYPE,
        reservedNames: reservedExportNames(builtinFunctions),
        builtinFunctions: new Set(builtinFunctions),
        maxOutputBytes,
      },
      this.modules,
      (current) => buildImports(EEI_ROWS, schedule, current),
    );
  }

  /** Modules compiled so far (a call to cached code compiles nothing). */
  get compilations(): number {
    return this.modules.compilations;
  }

  /** Throws InvalidContractInput for values a node never sends, HookFailed when the node's hook fails. */
  runSmartContractCreate(input: ContractCreateInput): VMOutput {
    assertContractInput(input, 'create');
    return runToOutcome(this.core, input, runDeploy);
  }

  /** Throws InvalidContractInput for values a node never sends, HookFailed when the node's hook fails. */
  runSmartContractCall(input: ContractCallInput): VMOutput {
    assertContractInput(input, 'call');
    return runToOutcome(this.core, input, input.Function === UPGRADE_FUNCTION ? runUpgrade : runCall);
  }
}
