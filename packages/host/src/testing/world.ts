/**
 * The test world: an in-memory chain (MemoryWorld) plus a VM, driven the way a node drives it. Tests name
 * accounts, deploy, call, query and transfer; the world bumps nonces, charges gas, applies successful outputs and
 * turns every other outcome into a thrown TxFailure. In process it is synchronous; with `processes: true` (or a
 * `createHandler` of your own) the same methods return promises.
 */
import { createHash } from 'node:crypto';
import {
  CallType,
  METADATA_UPGRADEABLE,
  ReturnCode,
  gasScheduleMapOf,
  type Awaitable,
  type GasScheduleInput,
  type LogEntry,
  type VMExecutionHandler,
  type VMOutput,
} from '@vm/protocol';
import { refusalOutput } from '../execution/outcome';
import { createGasSchedule, loadGasSchedule, type GasSchedule } from '../gas/gasSchedule';
import { MemoryWorld, type BlockInfo, type WorldAccount } from '../scenario/memoryWorld';
import { referenceTestGasSchedule } from '../scenario/runScenario';
import { VMHost } from '../vmHost';
import { type Codec, type Decoded } from './codecs';
import { TestAssertionError, TestInputError, TxFailure, describeTransaction, type TestTransaction } from './errors';
import { hexOf, shortAddress } from './format';
import {
  addressValue,
  amountValue,
  argumentsValue,
  codeValue,
  bytesValue,
  optional,
  readFields,
  required,
  stringValue,
  type AddressLike,
  type Reader,
} from './inputs';

/** A value in a synchronous world, a promise in an asynchronous one. */
export type Outcome<Sync extends boolean, T> = Sync extends true ? T : Promise<T>;

/** What runs the contracts: given the world's chain as its BlockchainHook. `close` is called by `world.close()`. */
export type HandlerFactory = (
  chain: MemoryWorld,
  options: { gasSchedule: GasSchedule; blockGasLimit: bigint },
) => VMExecutionHandler & { close?(): Awaitable<void> };

export interface TestWorldOptions {
  /** A schedule, its map, or a `.toml`/`.json` file. Default: the reference's test schedule (every cost 1). */
  gasSchedule?: GasScheduleInput | string;
  /** Run the contracts in an `arwen` child process through @vm/driver's VMDriver (install @vm/driver). */
  processes?: boolean;
  /** Run the contracts on this handler instead (e.g. your own VMDriver). */
  createHandler?: HandlerFactory;
  /** Default gas price of transactions (default 0: balances move only by values). */
  gasPrice?: bigint;
}

/** The gas limit of a transaction that names none. */
export const DEFAULT_GAS_LIMIT = 10_000_000n;
const BLOCK_GAS_LIMIT = 10_000_000n;

/** Accounts, deploys, calls, queries, transfers and blocks of one test. */
export class TestWorld<Sync extends boolean = true> {
  /** The state itself: accounts, storage, blocks (a BlockchainHook). Read it freely; change it through the world. */
  readonly chain = new MemoryWorld();
  readonly gasSchedule: GasSchedule;
  /** What runs the contracts: a VMHost, a VMDriver (`processes: true`) or the `createHandler` one. */
  readonly handler: ReturnType<HandlerFactory>;
  private readonly sync: boolean;
  private readonly gasPrice: bigint;
  private accountsCreated = 0;

  constructor(options: TestWorldOptions = {}) {
    const o = readFields('createTestWorld', options, {
      gasSchedule: optional(gasScheduleValue),
      processes: optional((v, where) => (typeof v === 'boolean' ? v : invalid(where, 'expected true or false', v))),
      createHandler: optional((v, where) =>
        typeof v === 'function' ? (v as HandlerFactory) : invalid(where, 'expected a function', v),
      ),
      gasPrice: optional(amountValue),
    });
    if (o.processes && o.createHandler)
      throw new TestInputError('createTestWorld: give processes or createHandler, not both');
    this.gasSchedule = o.gasSchedule ?? referenceTestGasSchedule();
    this.gasPrice = o.gasPrice ?? 0n;
    this.sync = !o.processes && !o.createHandler;
    const factory = o.createHandler ?? (o.processes ? driverHandler : inProcessHandler);
    this.handler = factory(this.chain, { gasSchedule: this.gasSchedule, blockGasLimit: BLOCK_GAS_LIMIT });
  }

  /** A new account; its address is derived from a counter unless given. */
  createAccount(options: { balance?: bigint; nonce?: bigint; address?: AddressLike } = {}): TestAccount {
    const o = readFields('createAccount', options, {
      balance: optional(amountValue),
      nonce: optional(amountValue),
      address: optional(addressValue),
    });
    const address = o.address ?? accountAddress(++this.accountsCreated);
    if (this.chain.account(address)) throw new TestInputError(`createAccount: ${shortAddress(address)} exists already`);
    const account = this.chain.accountOrNew(address);
    account.balance = o.balance ?? 0n;
    account.nonce = o.nonce ?? 0n;
    return new TestAccount(this, address);
  }

  /** Deploys a contract from `code` (bytes or a .wasm path); its `init` gets `args`. */
  deploy(options: DeployOptions): Outcome<Sync, TestContract<Sync>> {
    return this.outcome(() => {
      const o = readFields('deploy', options, {
        ...TX_FIELDS,
        code: required(codeValue),
        codeMetadata: optional(bytesValue),
      });
      const tx = this.transaction('deploy', o);
      const input = this.vmInput(tx);
      return then(
        this.handler.runSmartContractCreate({
          ...input,
          ContractCode: o.code,
          ContractCodeMetadata: o.codeMetadata ?? Uint8Array.of(METADATA_UPGRADEABLE, 0),
        }),
        (output) => {
          const result = this.settle(tx, output);
          const created = (output.OutputAccounts ?? []).find((a) => a.Code && a.Code.length > 0)?.Address;
          if (!created) throw new Error(`deploy succeeded without creating an account (${describeTransaction(tx)})`);
          return new TestContract<Sync>(this, created, result);
        },
      );
    });
  }

  /** Calls `function` of the contract `to`; the outputs are applied when it succeeds. */
  call(options: CallOptions): Outcome<Sync, TxResult> {
    return this.outcome(() => {
      const o = readFields('call', options, {
        ...TX_FIELDS,
        to: required(addressValue),
        function: required(stringValue),
      });
      const tx = this.transaction('call', o);
      return then(
        this.handler.runSmartContractCall({ ...this.vmInput(tx), RecipientAddr: tx.to!, Function: tx.function! }),
        (output) => this.settle(tx, output),
      );
    });
  }

  /** Runs a read-only call: nothing is applied, no nonce used, no gas paid. The caller defaults to the contract. */
  query(options: QueryOptions): Outcome<Sync, TxResult> {
    return this.outcome(() => {
      const o = readFields('query', options, {
        to: required(addressValue),
        function: required(stringValue),
        args: optional(argumentsValue),
        from: optional(addressValue),
        gasLimit: optional(amountValue),
      });
      const tx: TestTransaction = {
        kind: 'query',
        from: o.from ?? o.to,
        to: o.to,
        function: o.function,
        args: o.args ?? [],
        value: 0n,
        gasLimit: o.gasLimit ?? DEFAULT_GAS_LIMIT,
        gasPrice: 0n,
      };
      return then(
        this.handler.runSmartContractCall({ ...this.vmInput(tx), RecipientAddr: o.to, Function: o.function }),
        (output) => {
          if (output.ReturnCode !== ReturnCode.Ok) throw new TxFailure(tx, output);
          return new TxResult(tx, output);
        },
      );
    });
  }

  /** Moves `value` from one account to another (created if missing), as a plain transfer; synchronous in every world. */
  transfer(options: { from: AddressLike; to: AddressLike; value: bigint }): void {
    const o = readFields('transfer', options, {
      from: required(addressValue),
      to: required(addressValue),
      value: required(amountValue),
    });
    const sender = this.sender('transfer', o.from);
    const tx: TestTransaction = { kind: 'transfer', ...o, args: [], gasLimit: 0n, gasPrice: 0n };
    if (sender.balance < o.value) throw new TxFailure(tx, refusalOutput(ReturnCode.OutOfFunds, 'insufficient funds'));
    sender.nonce += 1n;
    sender.balance -= o.value;
    this.chain.accountOrNew(o.to).balance += o.value;
  }

  /** The block the transactions run in (fields not given stay as they were). */
  setCurrentBlock(info: Partial<BlockInfo>): void {
    this.chain.currentBlock = readBlock('setCurrentBlock', info, this.chain.currentBlock);
  }

  /** The block before it (`getPrevBlock*`). */
  setPreviousBlock(info: Partial<BlockInfo>): void {
    this.chain.previousBlock = readBlock('setPreviousBlock', info, this.chain.previousBlock);
  }

  /** The account's state, or undefined. */
  getAccount(address: AddressLike): WorldAccount | undefined {
    return this.chain.account(addressValue(address, 'getAccount'));
  }

  /** Stops the VM process of a `processes: true` world (or the handler's `close`); nothing to do in process. */
  close(): Outcome<Sync, void> {
    return this.outcome(() => this.handler.close?.());
  }

  // ------------------------------------------------------------------ one transaction

  private outcome<T>(work: () => Awaitable<T>): Outcome<Sync, T> {
    if (this.sync) return work() as Outcome<Sync, T>;
    return new Promise<T>((resolve) => resolve(work())) as Outcome<Sync, T>;
  }

  private sender(where: string, address: Uint8Array): WorldAccount {
    const account = this.chain.account(address);
    if (!account)
      throw new TestInputError(
        `${where}: from ${shortAddress(address)} is not an account of this world (createAccount)`,
      );
    return account;
  }

  /** Checks the sender can pay the value and all the gas, then uses its nonce, as a node does on entry. */
  private transaction(kind: 'deploy' | 'call', o: TxFields & { to?: Uint8Array; function?: string }): TestTransaction {
    const tx: TestTransaction = {
      kind,
      from: o.from,
      ...(o.to && { to: o.to, function: o.function }),
      args: o.args ?? [],
      value: o.value ?? 0n,
      gasLimit: o.gasLimit ?? DEFAULT_GAS_LIMIT,
      gasPrice: o.gasPrice ?? this.gasPrice,
    };
    const sender = this.sender(kind, tx.from);
    const needed = tx.value + tx.gasLimit * tx.gasPrice;
    if (sender.balance < needed)
      throw new TxFailure(
        tx,
        refusalOutput(
          ReturnCode.OutOfFunds,
          `insufficient funds: ${needed} needed, ${sender.balance} held`,
          tx.gasLimit,
        ),
      );
    sender.nonce += 1n;
    return tx;
  }

  private vmInput(tx: TestTransaction) {
    return {
      CallerAddr: tx.from,
      Arguments: [...tx.args],
      CallValue: tx.value,
      CallType: CallType.DirectCall,
      GasPrice: tx.gasPrice,
      GasProvided: tx.gasLimit,
      OriginalTxHash: null,
      CurrentTxHash: null,
    };
  }

  /** Pays the gas used; on success applies the output and pays the value, otherwise throws TxFailure. */
  private settle(tx: TestTransaction, output: VMOutput): TxResult {
    const sender = this.sender(tx.kind, tx.from);
    sender.balance -= (tx.gasLimit - output.GasRemaining) * tx.gasPrice;
    if (output.ReturnCode !== ReturnCode.Ok) throw new TxFailure(tx, output);
    const deltas = (output.OutputAccounts ?? []).reduce((sum, a) => sum + (a.BalanceDelta ?? 0n), 0n);
    if (deltas !== tx.value)
      throw new Error(
        `the VM's balance changes sum to ${deltas}, not the value ${tx.value} (${describeTransaction(tx)})`,
      );
    sender.balance -= tx.value;
    this.chain.applyOutput(output, tx.from);
    return new TxResult(tx, output);
  }
}

interface TxFields {
  from: Uint8Array;
  args?: Uint8Array[];
  value?: bigint;
  gasLimit?: bigint;
  gasPrice?: bigint;
}

const TX_FIELDS = {
  from: required(addressValue),
  args: optional(argumentsValue),
  value: optional(amountValue),
  gasLimit: optional(amountValue),
  gasPrice: optional(amountValue),
};

interface TxOptions {
  from: AddressLike;
  /** Encoded arguments: `[u64(5n), str('x')]`. */
  args?: Uint8Array[];
  value?: bigint;
  /** Default DEFAULT_GAS_LIMIT. */
  gasLimit?: bigint;
  gasPrice?: bigint;
}

export interface DeployOptions extends TxOptions {
  /** The contract's wasm: bytes, or a file path. */
  code: Uint8Array | string;
  /** Default upgradeable: `[1, 0]`. */
  codeMetadata?: Uint8Array;
}

export interface CallOptions extends TxOptions {
  to: AddressLike;
  function: string;
}

export interface QueryOptions {
  to: AddressLike;
  function: string;
  args?: Uint8Array[];
  /** The caller the contract sees (default: the contract itself). */
  from?: AddressLike;
  gasLimit?: bigint;
}

/** An account of a test world; reads are live. */
export class TestAccount {
  constructor(
    protected readonly world: TestWorld<boolean>,
    readonly address: Uint8Array,
  ) {}

  get balance(): bigint {
    return this.state().balance;
  }

  get nonce(): bigint {
    return this.state().nonce;
  }

  /** The stored value of `key` (text or bytes), empty when absent. */
  storage(key: string | Uint8Array): Uint8Array {
    return this.world.chain.getStorageData(this.address, typeof key === 'string' ? Buffer.from(key) : key);
  }

  toString(): string {
    return `0x${hexOf(this.address)}`;
  }

  private state(): WorldAccount {
    const account = this.world.chain.account(this.address);
    if (!account) throw new TestInputError(`account ${shortAddress(this.address)} no longer exists`);
    return account;
  }
}

/** A deployed contract: `call` and `query` with `to` filled in. */
export class TestContract<Sync extends boolean = true> extends TestAccount {
  constructor(
    world: TestWorld<Sync>,
    address: Uint8Array,
    /** The deploy transaction's result. */
    readonly deployment: TxResult,
  ) {
    super(world as TestWorld<boolean>, address);
  }

  call(options: Omit<CallOptions, 'to'>): Outcome<Sync, TxResult> {
    return (this.world as TestWorld<Sync>).call({ ...options, to: this.address });
  }

  query(options: Omit<QueryOptions, 'to'>): Outcome<Sync, TxResult> {
    return (this.world as TestWorld<Sync>).query({ ...options, to: this.address });
  }
}

/** A successful transaction: its return data, gas and logs. */
export class TxResult {
  constructor(
    readonly transaction: TestTransaction,
    readonly output: VMOutput,
  ) {}

  get returnData(): Uint8Array[] {
    return (this.output.ReturnData ?? []).map((data) => data ?? new Uint8Array(0));
  }

  get gasUsed(): bigint {
    return this.transaction.gasLimit - this.output.GasRemaining;
  }

  get logs(): LogEntry[] {
    return this.output.Logs ?? [];
  }

  /** The return data decoded, one codec per value (their number must match). */
  decode<const C extends readonly Codec<unknown, never>[]>(...codecs: C): Decoded<C> {
    const data = this.returnData;
    if (codecs.length !== data.length)
      throw new TestAssertionError(
        `${describeTransaction(this.transaction)} returned ${data.length} value${data.length === 1 ? '' : 's'}` +
          `${data.length ? ` (${data.map((d) => `0x${hexOf(d)}`).join(', ')})` : ''}, ${codecs.length} codec${codecs.length === 1 ? '' : 's'} given`,
      );
    return codecs.map((c, i) => c.decode(data[i])) as Decoded<C>;
  }
}

/** `createTestWorld()`: synchronous, in process; with `processes: true` or `createHandler`: asynchronous. */
export function createTestWorld(
  options?: TestWorldOptions & { processes?: false; createHandler?: undefined },
): TestWorld<true>;
export function createTestWorld(
  options: TestWorldOptions & ({ processes: true } | { createHandler: HandlerFactory }),
): TestWorld<false>;
export function createTestWorld(options: TestWorldOptions): TestWorld<boolean>;
export function createTestWorld(options: TestWorldOptions = {}): TestWorld<boolean> {
  return new TestWorld(options);
}

// ------------------------------------------------------------------ helpers

function then<T, U>(value: Awaitable<T>, next: (value: T) => U): Awaitable<U> {
  return value instanceof Promise ? value.then(next) : next(value as T);
}

function invalid(where: string, what: string, value: unknown): never {
  throw new TestInputError(`${where}: ${what}, got ${typeof value}`);
}

const gasScheduleValue: Reader<GasSchedule> = (value, where) => {
  if (typeof value === 'string') return loadGasSchedule(value);
  if (typeof value !== 'object' || value === null) invalid(where, 'expected a gas schedule, its map or a file', value);
  if ('opcodeCosts' in (value as object)) return value as GasSchedule;
  return createGasSchedule(gasScheduleMapOf(value as GasScheduleInput));
};

/** A user account's address: sha256 of its number, so tests get distinct, stable addresses. */
function accountAddress(n: number): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`test account ${n}`).digest());
}

function readBlock(where: string, info: Partial<BlockInfo>, current: BlockInfo | null): BlockInfo {
  const o = readFields(where, info, {
    timestamp: optional(amountValue),
    nonce: optional(amountValue),
    round: optional(amountValue),
    epoch: optional((v, at) => {
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 32) return v;
      return invalid(at, 'expected a whole number (an epoch is a number, not a bigint)', v);
    }),
  });
  const base = current ?? { timestamp: 0n, nonce: 0n, round: 0n, epoch: 0 };
  return {
    timestamp: o.timestamp ?? base.timestamp,
    nonce: o.nonce ?? base.nonce,
    round: o.round ?? base.round,
    epoch: o.epoch ?? base.epoch,
  };
}

const inProcessHandler: HandlerFactory = (chain, { gasSchedule, blockGasLimit }) =>
  new VMHost({ blockchainHook: chain, gasSchedule, blockGasLimit });

interface DriverModule {
  VMDriver: new (options: {
    blockchainHook: MemoryWorld;
    gasSchedule: GasScheduleInput;
    blockGasLimit: bigint;
  }) => VMExecutionHandler & { close(): Promise<void> };
}

/** @vm/driver is loaded only here: it depends on this package (by the path of `arwen`), never the reverse. */
const driverHandler: HandlerFactory = (chain, { gasSchedule, blockGasLimit }) => {
  let driver: DriverModule;
  try {
    /* eslint-disable-next-line @typescript-eslint/no-require-imports -- optional, loaded on demand, see above */
    driver = require('@vm/driver') as DriverModule;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    if (!missing || !(error as Error).message.includes("'@vm/driver'")) throw error; // a broken install: as it is
    throw new TestInputError('createTestWorld: processes: true runs the VM through @vm/driver: npm install @vm/driver');
  }
  return new driver.VMDriver({ blockchainHook: chain, gasSchedule, blockGasLimit });
};
