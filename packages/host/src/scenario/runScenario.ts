/**
 * Runs scenarios against any VMExecutionHandler on an in-memory world, with the reference runner's semantics
 * (scenario-format.md §6): gas pre-paid in full and never refunded, out-of-funds detected by the runner,
 * outputs applied only on success.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  CallType,
  ReturnCode,
  DEFAULT_PROTECTED_KEY_PREFIX,
  type VMExecutionHandler,
  type VMOutput,
} from '@vm/protocol';
import { magnitudeBytes, fromUnsignedBytes } from '../eei/bytes';
import { createGasSchedule, GAS_SECTION_KEYS, type GasSchedule } from '../gas/gasSchedule';
import { VMHost } from '../vmHost';
import { checkExpect, checkState } from './checks';
import { MemoryWorld } from './memoryWorld';
import type { SetStateStep, Step, TxStep } from './model';
import { parseScenarioFile } from './parse';
import { ScenarioError } from './valueExpression';

export interface ScenarioOptions {
  /** The VM under test, given the world as its BlockchainHook. Default: an in-process VMHost. */
  createHandler?: (
    world: MemoryWorld,
    options: { protectedKeyPrefix: string; gasSchedule: GasSchedule },
  ) => VMExecutionHandler;
  /** Default `KALYAN3104`; the runner's validatorReward key is this prefix + "reward". */
  protectedKeyPrefix?: string;
  /** Default: the reference runner's schedule (every cost 1, AsyncCallbackGasLock 100000). */
  gasSchedule?: GasSchedule;
  /** `file:` path rewrites. */
  replacements?: ReadonlyMap<string, string>;
}

export interface ScenarioResult {
  readonly path: string;
  readonly passed: boolean;
  readonly message?: string;
  readonly durationMs: number;
}

/** The reference scenario runner's gas schedule: config.MakeGasMapForTests(). */
export function referenceTestGasSchedule(): GasSchedule {
  const map = Object.fromEntries(
    Object.entries(GAS_SECTION_KEYS).map(([section, keys]) => [section, Object.fromEntries(keys.map((k) => [k, 1n]))]),
  );
  map.Kalyan3104APICost.AsyncCallbackGasLock = 100000n;
  return createGasSchedule(map);
}

const defaultHandler: NonNullable<ScenarioOptions['createHandler']> = (world, { protectedKeyPrefix, gasSchedule }) =>
  new VMHost({ blockchainHook: world, gasSchedule, protectedKeyPrefix, blockGasLimit: 10_000_000n });

/** Every `*.scen.json` below `target` (or `target` itself), in lexical order. */
export function findScenarios(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  const found: string[] = [];
  for (const entry of readdirSync(target).sort()) {
    const full = path.join(target, entry);
    if (statSync(full).isDirectory()) found.push(...findScenarios(full));
    else if (entry.endsWith('.scen.json')) found.push(full);
  }
  return found;
}

/** One scenario on a fresh world. Never throws: failures are in the result. */
export async function runScenario(file: string, options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const started = performance.now();
  const world = new MemoryWorld();
  const prefix = options.protectedKeyPrefix ?? DEFAULT_PROTECTED_KEY_PREFIX;
  const handler = (options.createHandler ?? defaultHandler)(world, {
    protectedKeyPrefix: prefix,
    gasSchedule: options.gasSchedule ?? referenceTestGasSchedule(),
  });
  const runner = new StepRunner(world, handler, prefix, options.replacements ?? new Map());
  try {
    await runner.runFile(file);
    return { path: file, passed: true, durationMs: performance.now() - started };
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return { path: file, passed: false, message: error.message, durationMs: performance.now() - started };
  }
}

class StepRunner {
  private checkGas = true;

  constructor(
    private readonly world: MemoryWorld,
    private readonly vm: VMExecutionHandler,
    private readonly protectedPrefix: string,
    private readonly replacements: ReadonlyMap<string, string>,
  ) {}

  async runFile(file: string): Promise<void> {
    const scenario = parseScenarioFile(file, this.replacements);
    this.checkGas = scenario.checkGas;
    for (const [index, step] of scenario.steps.entries()) {
      const where = `${path.basename(file)} step ${index + 1} (${step.kind}${'txId' in step && step.txId ? ` "${step.txId}"` : ''})`;
      try {
        await this.run(step);
      } catch (error) {
        if (error instanceof ScenarioError && !error.message.startsWith(where))
          throw new ScenarioError(`${where}: ${error.message}`);
        throw error;
      }
    }
  }

  private async run(step: Step): Promise<void> {
    switch (step.kind) {
      case 'externalSteps':
        return this.runFile(step.path);
      case 'setState':
        return this.setState(step);
      case 'checkState': {
        const problems = checkState(step, this.world);
        if (problems.length > 0) throw new ScenarioError(`state differs:\n  ${problems.join('\n  ')}`);
        return;
      }
      default:
        return this.transaction(step);
    }
  }

  private setState(step: SetStateStep): void {
    for (const a of step.accounts) {
      this.world.setAccount({
        address: a.address,
        nonce: a.nonce,
        balance: a.balance,
        storage: new Map(a.storage),
        code: a.code,
        asyncCallData: a.asyncCallData,
        owner: new Uint8Array(0),
      });
    }
    this.world.newAddressMocks.push(...step.newAddresses);
    this.world.previousBlock = step.previousBlockInfo && { ...step.previousBlockInfo };
    this.world.currentBlock = step.currentBlockInfo && { ...step.currentBlockInfo };
    this.world.blockHashes = step.blockHashes;
  }

  private async transaction(tx: TxStep): Promise<void> {
    const output = await this.execute(tx);
    if (tx.expect) {
      const problems = checkExpect(tx.expect, output, this.checkGas);
      if (problems.length > 0) throw new ScenarioError(`unexpected result:\n  ${problems.join('\n  ')}`);
    }
  }

  private async execute(tx: TxStep): Promise<VMOutput> {
    if (tx.kind === 'validatorReward') return this.validatorReward(tx);
    const sender = this.world.account(tx.from!);
    if (!sender) throw new ScenarioError(`sender ${Buffer.from(tx.from!).toString('hex')} does not exist`);
    sender.nonce += 1n;
    const gasCost = tx.gasLimit * tx.gasPrice;
    if (sender.balance < gasCost) throw new ScenarioError('not enough balance to pay gas upfront');
    sender.balance -= gasCost;
    if (sender.balance < tx.value) return outputOf(ReturnCode.OutOfFunds);

    let output: VMOutput;
    const base = {
      CallerAddr: tx.from,
      Arguments: tx.arguments,
      CallValue: tx.value,
      CallType: CallType.DirectCall,
      GasPrice: tx.gasPrice,
      GasProvided: tx.gasLimit,
      OriginalTxHash: null,
      CurrentTxHash: null,
    };
    if (tx.kind === 'scDeploy') {
      output = await this.vm.runSmartContractCreate({
        ...base,
        ContractCode: tx.contractCode,
        ContractCodeMetadata: Uint8Array.of(1, 0),
      });
    } else if (tx.kind === 'scCall') {
      const recipient = this.world.account(tx.to!);
      if (!recipient || recipient.code.length === 0)
        throw new ScenarioError(`recipient ${Buffer.from(tx.to!).toString('hex')} does not exist or has no code`);
      output = await this.vm.runSmartContractCall({ ...base, RecipientAddr: tx.to, Function: tx.function });
    } else {
      output = outputOf(ReturnCode.Ok);
      output.OutputAccounts = [
        {
          Address: tx.to,
          Nonce: 0n,
          Balance: null,
          BalanceDelta: tx.value,
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
      sender.balance -= tx.value;
      const deltas = (output.OutputAccounts ?? []).reduce((sum, a) => sum + (a.BalanceDelta ?? 0n), 0n);
      if (deltas !== tx.value)
        throw new ScenarioError(`balance deltas sum to ${deltas}, not the transaction value ${tx.value}`);
      this.world.applyOutput(output, tx.from!);
    }
    return output;
  }

  /** Credits the validator and adds the value to its `<prefix>reward` storage entry. */
  private validatorReward(tx: TxStep): VMOutput {
    const account = this.world.account(tx.to!);
    if (!account)
      throw new ScenarioError(`validatorReward: account ${Buffer.from(tx.to!).toString('hex')} does not exist`);
    account.balance += tx.value;
    const key = Buffer.from(`${this.protectedPrefix}reward`).toString('hex');
    account.storage.set(
      key,
      magnitudeBytes(fromUnsignedBytes(account.storage.get(key) ?? new Uint8Array(0)) + tx.value),
    );
    return outputOf(ReturnCode.Ok);
  }
}

function outputOf(code: ReturnCode): VMOutput {
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
