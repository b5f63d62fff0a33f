/**
 * The step-level scenario API (the reference's `ExecuteStep` / `ExecuteTxStep`): executes one step at a time on a
 * live world with the reference runner's rules (scenario-format.md §6): the sender's nonce bumped, gas pre-paid in
 * full and never refunded, out of funds detected by the runner (status 7), the value debited and the VM's outputs
 * applied only on success, `expect` checked against the output. A recorder collects what was executed.
 */
import path from 'node:path';
import {
  CallType,
  METADATA_UPGRADEABLE,
  ReturnCode,
  DEFAULT_PROTECTED_KEY_PREFIX,
  type VMExecutionHandler,
  type VMOutput,
} from '@vm/protocol';
import { magnitudeBytes, fromUnsignedBytes } from '../eei/bytes';
import { createGasSchedule, GAS_SECTION_KEYS, type GasSchedule } from '../gas/gasSchedule';
import { VMHost } from '../vmHost';
import { describeDifference, expectDifferences, stateDifferences, type Difference } from './checks';
import { describeTx } from './describeTx';
import { dumpWorld } from './dumpState';
import { MemoryWorld, type ScenarioWorld } from './memoryWorld';
import type { BlockInfo, Scenario, SetStateStep, Step, TxStep } from './model';
import { parseScenarioFile } from './parse';
import { ScenarioError } from './valueExpression';

export interface StepResult {
  readonly step: Step;
  /** The VM's output (or the runner's own, for transfers, rewards and out of funds); null for other steps. */
  readonly vmOutput: VMOutput | null;
  /** No expectation or check failed. */
  readonly passed: boolean;
  /** What differed from the step's `expect` or `checkState` (empty when passed). */
  readonly differences: readonly string[];
  /** The same, structured (for an externalSteps step: those of its failing step). */
  readonly details?: readonly Difference[];
}

export interface ScenarioRun {
  readonly passed: boolean;
  /** Why it failed: the step, and what differed or the runner error. */
  readonly message?: string;
  readonly results: readonly StepResult[];
}

export interface ExecutorOptions {
  /** Default: a new MemoryWorld. */
  world?: ScenarioWorld;
  /** The VM (e.g. a VMDriver whose hook is the world). Default: an in-process VMHost on the world (a MemoryWorld). */
  vm?: VMExecutionHandler;
  /** Default `KALYAN3104`; the validatorReward key is this prefix + "reward"; dumpState omits keys under it. */
  protectedKeyPrefix?: string;
  /** For the default VM. Default: the reference runner's schedule (every cost 1, AsyncCallbackGasLock 100000). */
  gasSchedule?: GasSchedule;
  /** `file:` path rewrites for the files externalSteps reads. */
  replacements?: ReadonlyMap<string, string>;
  /** Where a lone step's externalSteps path is relative to (default: the current directory). */
  baseDir?: string;
  /** Whether `expect.gas` is checked (default true; a scenario's own checkGas replaces it). */
  checkGas?: boolean;
  /** Every executed step is appended to it. */
  recorder?: ScenarioRecorder;
  /** Where dumpState prints (default: stdout). */
  out?: (text: string) => void;
}

/** The reference scenario runner's gas schedule: config.MakeGasMapForTests(). */
export function referenceTestGasSchedule(): GasSchedule {
  const map = Object.fromEntries(
    Object.entries(GAS_SECTION_KEYS).map(([section, keys]) => [section, Object.fromEntries(keys.map((k) => [k, 1n]))]),
  );
  map.Kalyan3104APICost.AsyncCallbackGasLock = 100000n;
  return createGasSchedule(map);
}

/** The gas of an scQuery without a gasLimit: as much as a u64 field takes (a query is never paid for). */
const QUERY_GAS = (1n << 63n) - 1n;

/** Collects steps into a scenario that `writeScenario` turns into a replayable file. */
export class ScenarioRecorder {
  private readonly steps: Step[] = [];

  constructor(private readonly header: Omit<Scenario, 'steps'> = {}) {}

  record(step: Step): void {
    this.steps.push(step);
  }

  get scenario(): Scenario {
    return { ...this.header, steps: [...this.steps] };
  }
}

export class ScenarioExecutor {
  readonly world: ScenarioWorld;
  readonly vm: VMExecutionHandler;
  readonly protectedKeyPrefix: string;
  checkGas: boolean;
  private readonly baseDirs: string[];
  private nested = 0;

  constructor(private readonly options: ExecutorOptions = {}) {
    this.world = options.world ?? new MemoryWorld();
    this.protectedKeyPrefix = options.protectedKeyPrefix ?? DEFAULT_PROTECTED_KEY_PREFIX;
    this.checkGas = options.checkGas ?? true;
    this.baseDirs = [options.baseDir ?? process.cwd()];
    if (options.vm) this.vm = options.vm;
    else if (this.world instanceof MemoryWorld)
      this.vm = new VMHost({
        blockchainHook: this.world,
        gasSchedule: options.gasSchedule ?? referenceTestGasSchedule(),
        protectedKeyPrefix: this.protectedKeyPrefix,
        blockGasLimit: 10_000_000n,
      });
    else throw new TypeError('ScenarioExecutor: a world that is not a MemoryWorld needs its own `vm`');
  }

  /**
   * Executes one step. Differences from its expectations are in the result; runner errors (a missing sender or
   * recipient, gas that cannot be paid, an unreadable external file) throw a ScenarioError.
   */
  async executeStep(step: Step): Promise<StepResult> {
    if (this.nested === 0) this.options.recorder?.record(step);
    switch (step.kind) {
      case 'externalSteps':
        return this.externalSteps(step.path, step);
      case 'setState':
        this.setState(step);
        return { step, vmOutput: null, passed: true, differences: [] };
      case 'checkState': {
        const details = stateDifferences(step.accounts, this.world);
        return {
          step,
          vmOutput: null,
          passed: details.length === 0,
          differences: details.map(describeDifference),
          details,
        };
      }
      case 'dumpState':
        (this.options.out ?? ((text: string) => process.stdout.write(text)))(
          dumpWorld(this.world, this.protectedKeyPrefix),
        );
        return { step, vmOutput: null, passed: true, differences: [] };
      default: {
        const vmOutput = await this.transaction(step);
        const details = step.expect ? expectDifferences(step.expect, vmOutput, this.checkGas) : [];
        return { step, vmOutput, passed: details.length === 0, differences: details.map(describeDifference), details };
      }
    }
  }

  /** Executes every step in order, up to the first that fails. Never throws for a failing scenario. */
  async executeScenario(scenario: Scenario): Promise<ScenarioRun> {
    const results: StepResult[] = [];
    try {
      const failure = await this.runSteps(scenario, results);
      return failure === undefined ? { passed: true, results } : { passed: false, message: failure, results };
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      return { passed: false, message: error.message, results };
    }
  }

  /** The steps of a scenario; the first failure's description, or undefined. */
  private async runSteps(scenario: Scenario, results: StepResult[]): Promise<string | undefined> {
    this.checkGas = scenario.checkGas ?? true;
    if (scenario.file) this.baseDirs.push(path.dirname(scenario.file));
    try {
      for (const [index, step] of scenario.steps.entries()) {
        const txId = 'txId' in step && step.txId ? ` "${step.txId}"` : '';
        const where = `${scenario.file ? path.basename(scenario.file) : 'scenario'} step ${index + 1} (${step.kind}${txId})`;
        let result: StepResult;
        try {
          result = await this.executeStep(step);
        } catch (error) {
          if (error instanceof ScenarioError && !error.message.startsWith(where))
            throw new ScenarioError(`${where}: ${error.message}`, error);
          throw error;
        }
        results.push(result);
        if (!result.passed) {
          const what =
            step.kind === 'checkState' ? 'state differs' : step.kind === 'externalSteps' ? '' : 'unexpected result';
          const shown = 'tx' in step ? [...result.differences, ...describeTx(step, result.vmOutput, this.world)] : [];
          return what
            ? `${where}: ${what}:\n  ${(shown.length ? shown : result.differences).join('\n  ')}`
            : `${where}: ${result.differences.join('\n')}`;
        }
      }
      return undefined;
    } finally {
      if (scenario.file) this.baseDirs.pop();
    }
  }

  private async externalSteps(relative: string, step: Step): Promise<StepResult> {
    const file = path.resolve(this.baseDirs[this.baseDirs.length - 1], relative);
    const scenario = parseScenarioFile(file, { replacements: this.options.replacements });
    const results: StepResult[] = [];
    this.nested++;
    try {
      const failure = await this.runSteps(scenario, results);
      const details = failure ? results.at(-1)?.details : undefined;
      return { step, vmOutput: null, passed: failure === undefined, differences: failure ? [failure] : [], details };
    } finally {
      this.nested--;
    }
  }

  private setState(step: SetStateStep): void {
    for (const a of step.accounts ?? []) {
      this.world.setAccount({
        address: a.address.value,
        nonce: a.nonce?.value ?? 0n,
        balance: a.balance.value,
        storage: new Map(
          (a.storage ?? [])
            .filter((e) => e.value.value.length > 0)
            .map((e) => [Buffer.from(e.key.value).toString('hex'), e.value.value]),
        ),
        code: a.code?.value ?? new Uint8Array(0),
        asyncCallData: a.asyncCallData ?? '',
        owner: new Uint8Array(0),
      });
    }
    this.world.newAddressMocks.push(
      ...(step.newAddresses ?? []).map((m) => ({
        creator: m.creatorAddress.value,
        nonce: m.creatorNonce.value,
        address: m.newAddress.value,
      })),
    );
    // Replaced unconditionally, as the reference does (§5.2).
    this.world.previousBlock = blockInfo(step.previousBlockInfo);
    this.world.currentBlock = blockInfo(step.currentBlockInfo);
    this.world.blockHashes = (step.blockHashes ?? []).map((h) => h.value);
  }

  /** Runs a transaction step with the runner's rules; the output (applied to the world only on success). */
  async transaction(step: TxStep): Promise<VMOutput> {
    const { tx } = step;
    const value = tx.value?.value ?? 0n;
    const gasLimit = tx.gasLimit?.value ?? 0n;
    const gasPrice = tx.gasPrice?.value ?? 0n;
    const args = (tx.arguments ?? []).map((a) => a.value);
    const to = tx.to?.value;
    if (step.kind === 'validatorReward') return this.validatorReward(to!, value);
    if (step.kind === 'scQuery') {
      this.requireCode(to!);
      // A query is never applied: no nonce, no payment, no output written to the world.
      return this.vm.runSmartContractCall({
        ...callBase(to!, args, 0n, 0n, tx.gasLimit?.value ?? QUERY_GAS),
        RecipientAddr: to!,
        Function: tx.function ?? '',
      });
    }
    const from = tx.from!.value;
    const sender = this.world.account(from);
    if (!sender) throw new ScenarioError(`sender ${Buffer.from(from).toString('hex')} does not exist`);
    sender.nonce += 1n;
    const gasCost = gasLimit * gasPrice;
    if (sender.balance < gasCost) throw new ScenarioError('not enough balance to pay gas upfront');
    sender.balance -= gasCost;
    if (sender.balance < value) return outputOf(ReturnCode.OutOfFunds);

    let output: VMOutput;
    const base = callBase(from, args, value, gasPrice, gasLimit);
    if (step.kind === 'scDeploy') {
      output = await this.vm.runSmartContractCreate({
        ...base,
        ContractCode: tx.contractCode?.value ?? new Uint8Array(0),
        ContractCodeMetadata: Uint8Array.of(METADATA_UPGRADEABLE, 0),
      });
    } else if (step.kind === 'scCall') {
      this.requireCode(to!);
      output = await this.vm.runSmartContractCall({ ...base, RecipientAddr: to!, Function: tx.function ?? '' });
    } else {
      output = outputOf(ReturnCode.Ok);
      output.OutputAccounts = [
        {
          Address: to!,
          Nonce: 0n,
          Balance: null,
          BalanceDelta: value,
          StorageUpdates: [],
          Code: null,
          CodeMetadata: null,
          Data: null,
          GasLimit: 0n,
          CallType: 0,
        },
      ];
    }
    if (output.ReturnCode === ReturnCode.Ok) {
      sender.balance -= value;
      const deltas = (output.OutputAccounts ?? []).reduce((sum, a) => sum + (a.BalanceDelta ?? 0n), 0n);
      if (deltas !== value)
        throw new ScenarioError(`balance deltas sum to ${deltas}, not the transaction value ${value}`);
      this.world.applyOutput(output, from);
    }
    return output;
  }

  private requireCode(address: Uint8Array): void {
    const recipient = this.world.account(address);
    if (!recipient || recipient.code.length === 0)
      throw new ScenarioError(`recipient ${Buffer.from(address).toString('hex')} does not exist or has no code`);
  }

  /** Credits the validator and adds the value to its `<prefix>reward` storage entry. */
  private validatorReward(to: Uint8Array, value: bigint): VMOutput {
    const account = this.world.account(to);
    if (!account) throw new ScenarioError(`validatorReward: account ${Buffer.from(to).toString('hex')} does not exist`);
    account.balance += value;
    const key = Buffer.from(`${this.protectedKeyPrefix}reward`).toString('hex');
    account.storage.set(key, magnitudeBytes(fromUnsignedBytes(account.storage.get(key) ?? new Uint8Array(0)) + value));
    return outputOf(ReturnCode.Ok);
  }
}

function blockInfo(info: BlockInfo | undefined) {
  if (!info) return null;
  return {
    timestamp: info.blockTimestamp?.value ?? 0n,
    nonce: info.blockNonce?.value ?? 0n,
    round: info.blockRound?.value ?? 0n,
    epoch: Number((info.blockEpoch?.value ?? 0n) & 0xffffffffn),
  };
}

function callBase(caller: Uint8Array, args: Uint8Array[], value: bigint, gasPrice: bigint, gasLimit: bigint) {
  return {
    CallerAddr: caller,
    Arguments: args,
    CallValue: value,
    CallType: CallType.DirectCall,
    GasPrice: gasPrice,
    GasProvided: gasLimit,
    OriginalTxHash: null,
    CurrentTxHash: null,
  };
}

export function outputOf(code: ReturnCode): VMOutput {
  return {
    ReturnData: [],
    ReturnCode: code,
    ReturnMessage: '',
    GasRemaining: 0n,
    GasRefund: 0n,
    OutputAccounts: [],
    DeletedAccounts: [],
    TouchedAccounts: [],
    Logs: [],
  };
}
