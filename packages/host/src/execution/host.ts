/**
 * What the execution flows (deploy, call, destContext, sameContext, create, outcome) share: the host's
 * configuration, its instance stack, the async step's gas lock and the transaction being executed. One object per
 * VMHost (HostCore); the flows take it as their first argument.
 */
import type { BlockchainHook, CryptoHook } from '@vm/protocol';
import type { GasSchedule } from '../gas/gasSchedule';
import type { AsyncHost } from './asyncCalls';
import type { FrameHost, TxState } from './executionContext';
import type { Instances } from './instances';
import type { AsyncStepLock } from './metering';

export interface HostConfig {
  readonly schedule: GasSchedule;
  /** Guarded (contexts/hookGuard.ts): a failure is HookFailed. */
  readonly hook: BlockchainHook;
  readonly crypto: CryptoHook;
  readonly blockGasLimit: bigint;
  readonly protectedPrefix: Uint8Array;
  readonly vmType: Uint8Array;
  /** Export names a contract may not use (host functions, upgradeContract, built-in functions). */
  readonly reservedNames: ReadonlySet<string>;
  readonly builtinFunctions: ReadonlySet<string>;
  readonly maxOutputBytes: number;
}

export interface Host extends FrameHost, AsyncHost {
  readonly config: HostConfig;
  readonly instances: Instances;
  readonly asyncLock: AsyncStepLock;
  tx: TxState;
}
