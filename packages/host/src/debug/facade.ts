/**
 * The debug node's operations (the reference's DebugFacade), shared by the CLI and the HTTP server: each request is
 * digested, then runs on its world with the world's file locked (one writer per world, worlds in parallel):
 * load, execute on a VMHost over the world, merge, store atomically, store the outcome.
 */
import { access, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import {
  CallType,
  METADATA_UPGRADEABLE,
  ReturnCode,
  returnCodeString,
  type VMInput,
  type VMOutput,
} from '@vm/protocol';
import { refusalOutput } from '../execution/outcome';
import { contractProblem } from '../scenario/describeTx';
import { writeFileAtomic } from '../atomicFile';
import { type DebugWorld, loadWorld, saveWorld, type AccountJson, type TransactionRecord } from './debugWorld';
import { WorldEngines } from './engines';
import { withWorldLock } from './worldLock';
import { exportScenario } from './scenarioExport';
import { goJson } from './goJson';
import { codeText, inspectCode, type CodeInspection } from './inspect';
import { appendTransaction, deleteTransactions, readTransactions } from './transactionLog';
import {
  RequestError,
  bind,
  checkName,
  decodeAddress,
  decodeArguments,
  decodeDecimal,
  decodeHex,
  insideRoot,
  type RequestType,
} from './requests';

/** The reference's DefaultGasPrice, passed to the VM when a request names none (and then no fee is charged). */
export const DEFAULT_GAS_PRICE = 200_000_000_000n;
/** A query's gas limit when it names none (the reference requires one its CLI cannot give). */
export const DEFAULT_QUERY_GAS_LIMIT = 10_000_000n;
/** Upgradeable, as the reference's default CodeMetadata. */
const DEFAULT_CODE_METADATA = Uint8Array.of(METADATA_UPGRADEABLE, 0);

export type Operation = 'createAccount' | 'deploy' | 'upgrade' | 'run' | 'query';

export const OPERATION_REQUESTS: Record<Operation, RequestType> = {
  createAccount: 'CreateAccountRequest',
  deploy: 'DeployRequest',
  upgrade: 'UpgradeRequest',
  run: 'RunRequest',
  query: 'QueryRequest',
};

export interface FacadeOptions {
  /** DatabasePath and CodePath must resolve inside it. Default: `base`. */
  root?: string;
  /** Relative DatabasePath and CodePath resolve against it. Default: the working directory. */
  base?: string;
  /** Execute through @vm/driver's VMDriver (an `arwen` child per world, as a node does) instead of in process. */
  processes?: boolean;
  /** Keep one VM per world across requests (default true); false: a new VM per request, as the reference does. */
  reuseVm?: boolean;
}

/** The `data` of a contract request (the reference's ContractResponseBase, with the error's text kept). */
export interface ContractResponse {
  Error: { Message: string } | null;
  Input: VMInput;
  /** The VMOutput, OutputAccounts keyed by hex address. */
  Output: unknown;
  ReturnCodeString?: string;
  ContractAddress?: Uint8Array | null;
  ContractAddressHex?: string;
  /** The entry of this request in the world's transaction log. */
  TransactionID?: number;
  /** Why the code was refused, when the VM answered ContractInvalid (its ReturnMessage stays the reference's). */
  InvalidReason?: string;
}

interface Target {
  worldFile: string;
  worldId: string;
  outcomeFile?: string;
}

export class DebugFacade {
  readonly root: string;
  readonly base: string;
  private readonly queues = new Map<string, Promise<unknown>>();
  /** One VM per world file, kept across requests (its compiled modules with it). */
  private readonly engines: WorldEngines;

  constructor(options: FacadeOptions = {}) {
    this.base = path.resolve(options.base ?? options.root ?? process.cwd());
    this.root = path.resolve(options.root ?? this.base);
    this.engines = new WorldEngines(options.processes ?? false, options.reuseVm ?? true);
  }

  /** Waits for the requests in flight, then stops the VMs (the `arwen` children with `processes`). */
  async close(): Promise<void> {
    await this.idle();
    await this.engines.close();
  }

  /** Runs an operation on a raw request body (bound as the reference binds JSON). */
  execute(operation: Operation, body: unknown): Promise<unknown> {
    switch (operation) {
      case 'createAccount':
        return this.createAccount(body);
      case 'query':
        return this.query(body);
      default:
        return this.transaction(operation, body);
    }
  }

  /** Resolves when every queued request has finished. */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.allSettled([...this.queues.values()]);
  }

  createAccount(body: unknown): Promise<{ Account: AccountJson }> {
    const r = bind('CreateAccountRequest', body);
    const target = this.target(r);
    const address = decodeAddress(r.AddressHex, 'account');
    const balance = decodeDecimal(r.Balance);
    return this.locked(target.worldFile, async () => {
      const world = await loadWorld(target.worldFile, target.worldId);
      const existing = world.account(address);
      if (existing && existing.code.length > 0 && !r.Replace)
        throw new RequestError(
          `account ${Buffer.from(address).toString('hex')} is a contract; give Replace (--replace) to replace it`,
        );
      world.accounts.delete(Buffer.from(address).toString('hex'));
      world.extras.delete(Buffer.from(address).toString('hex'));
      const account = world.accountOrNew(address);
      account.balance = balance;
      account.nonce = r.Nonce ?? 0n;
      world.atLastTransaction = false;
      await saveWorld(target.worldFile, world);
      const data = { Account: world.accountJson(address)! };
      await this.storeOutcome(target, data);
      return data;
    });
  }

  /** deploy, upgrade, run: the caller pays the value (and the fee when a gas price is given), its nonce is used. */
  private async transaction(kind: 'deploy' | 'upgrade' | 'run', body: unknown): Promise<ContractResponse> {
    const type = OPERATION_REQUESTS[kind] as 'DeployRequest' | 'UpgradeRequest' | 'RunRequest';
    const r = bind(type, body);
    const target = this.target(r);
    const caller = decodeAddress(r.ImpersonatedHex, 'impersonated');
    const value = decodeDecimal(r.Value);
    if (!r.GasLimit) throw new RequestError('invalid gas limit');
    const gasLimit = r.GasLimit;
    const feePrice = r.GasPrice ?? 0n;
    const args = decodeArguments(r.ArgumentsHex);
    const contract = kind === 'deploy' ? undefined : decodeAddress(r.ContractAddressHex, 'contract');
    if (kind === 'run' && !r.Function) throw new RequestError('empty function');
    const codeSpec = kind === 'run' ? undefined : this.code(r);
    const code = codeSpec && { code: await resolveCode(codeSpec), metadata: codeSpec.metadata };
    return this.locked(target.worldFile, async () => {
      const world = await loadWorld(target.worldFile, target.worldId);
      const replayableBefore = world.atLastTransaction;
      const input: VMInput = {
        CallerAddr: caller,
        Arguments: args,
        CallValue: value,
        CallType: CallType.DirectCall,
        GasPrice: feePrice || DEFAULT_GAS_PRICE,
        GasProvided: gasLimit,
        OriginalTxHash: null,
        CurrentTxHash: null,
      };
      const sender = world.accountOrNew(caller); // impersonation: any address may send; it pays from its balance
      const needed = value + gasLimit * feePrice;
      if (sender.balance < needed) {
        const output = refusalOutput(
          ReturnCode.OutOfFunds,
          `insufficient funds: ${needed} needed, ${sender.balance} held`,
          gasLimit,
        );
        return this.finish(target, response(input, output));
      }
      // The state this transaction started from, when the log's earlier records do not give it (scenarioExport.ts).
      const before = replayableBefore ? undefined : plain(world.toFileObject());
      const recipientHasCode = contract ? (world.account(contract)?.code.length ?? 0) > 0 : true;
      const nonce = sender.nonce;
      sender.nonce += 1n;
      const { output, error } = await this.engines.run(target.worldFile, world, (vm) => {
        if (kind === 'deploy')
          return vm.runSmartContractCreate({
            ...input,
            ContractCode: code!.code,
            ContractCodeMetadata: code!.metadata,
          });
        if (kind === 'upgrade')
          return vm.runSmartContractCall({
            ...input,
            Arguments: [code!.code, code!.metadata, ...args],
            RecipientAddr: contract!,
            Function: 'upgradeContract',
          });
        return vm.runSmartContractCall({ ...input, RecipientAddr: contract!, Function: r.Function! });
      });
      if (output) {
        sender.balance -= (gasLimit - output.GasRemaining) * feePrice;
        if (output.ReturnCode === ReturnCode.Ok) {
          sender.balance -= value;
          world.applyOutput(output, caller);
        }
      }
      const data = response(input, output, error);
      if (output?.ReturnCode === ReturnCode.ContractInvalid) {
        const refused = code ? code.code : contract && world.account(contract)?.code;
        data.InvalidReason = refused && contractProblem(refused);
      }
      if (kind === 'deploy') {
        const created = output?.ReturnCode === ReturnCode.Ok ? world.newAddress(caller, nonce) : null;
        data.ContractAddress = created;
        data.ContractAddressHex = created ? Buffer.from(created).toString('hex') : '';
      }
      data.TransactionID = world.transactionCount + 1;
      await appendTransaction(target.worldFile, {
        ID: data.TransactionID,
        Kind: kind,
        Function: kind === 'run' ? r.Function : kind === 'upgrade' ? 'upgradeContract' : 'init',
        ContractAddressHex: contract ? hexOf(contract) : data.ContractAddressHex,
        CallerNonce: String(nonce),
        FeePrice: String(feePrice),
        Replayable: output !== null && recipientHasCode,
        CodeHex: code && hexOf(code.code),
        CodeMetadataHex: code && hexOf(code.metadata),
        Block: world.currentBlock && plain(world.currentBlock),
        GasUsed: output ? String(gasLimit - output.GasRemaining) : null,
        ReturnCodeString: data.ReturnCodeString ?? null,
        InvalidReason: data.InvalidReason,
        Error: data.Error,
        Input: plain(input),
        Output: output && plain(goOutput(output)),
        Before: before,
      });
      world.transactionCount = data.TransactionID;
      // A scenario runner can replay this transaction only if the VM answered and the recipient had code.
      world.atLastTransaction = output !== null && recipientHasCode;
      await saveWorld(target.worldFile, world);
      return this.finish(target, data);
    });
  }

  /** A read-only call: nothing applied, nothing stored (but the outcome), no nonce used, a default gas limit. */
  query(body: unknown): Promise<ContractResponse> {
    const r = bind('QueryRequest', body);
    const target = this.target(r);
    const caller = decodeAddress(r.ImpersonatedHex, 'impersonated');
    const contract = decodeAddress(r.ContractAddressHex, 'contract');
    if (!r.Function) throw new RequestError('empty function');
    const args = decodeArguments(r.ArgumentsHex);
    const input: VMInput = {
      CallerAddr: caller,
      Arguments: args,
      CallValue: 0n,
      CallType: CallType.DirectCall,
      GasPrice: r.GasPrice || DEFAULT_GAS_PRICE,
      GasProvided: r.GasLimit || DEFAULT_QUERY_GAS_LIMIT,
      OriginalTxHash: null,
      CurrentTxHash: null,
    };
    return this.locked(target.worldFile, async () => {
      const world = await loadWorld(target.worldFile, target.worldId);
      const { output, error } = await this.engines.run(target.worldFile, world, (vm) =>
        vm.runSmartContractCall({ ...input, RecipientAddr: contract, Function: r.Function! }),
      );
      return this.finish(target, response(input, output, error));
    });
  }

  // ------------------------------------------------------------------ beyond the reference: reads and control

  /** The world names of a database. */
  async listWorlds(database?: string): Promise<{ Worlds: string[] }> {
    const dir = path.join(this.database(database), 'worlds');
    const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    return {
      Worlds: names
        .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
        .map((n) => n.slice(0, -5))
        .sort(),
    };
  }

  /** A world as its file holds it; an unknown world is a RequestError. */
  async getWorld(id: string, database?: string): Promise<Record<string, unknown>> {
    return (await this.existingWorld(id, database)).toFileObject();
  }

  /** One account with its storage, each entry also as text. */
  async getAccount(id: string, addressHex: string, database?: string): Promise<unknown> {
    const world = await this.existingWorld(id, database);
    const address = decodeAddress(addressHex, 'account');
    const account = world.accountJson(address);
    if (!account) throw new RequestError(`no account ${addressHex} in world ${id}`);
    const decoded = Object.entries(account.Storage).map(([key, value]) => ({
      KeyHex: key,
      KeyText: Buffer.from(key, 'hex').toString('latin1'),
      ValueHex: value,
      ValueText: Buffer.from(value, 'hex').toString('latin1'),
    }));
    return { Account: account, StorageDecoded: decoded };
  }

  /** The account's code: imports (contract API or not), exports, size, and its text form. */
  async getCode(id: string, addressHex: string, database?: string): Promise<CodeInspection> {
    const world = await this.existingWorld(id, database);
    const account = world.account(decodeAddress(addressHex, 'account'));
    if (!account) throw new RequestError(`no account ${addressHex} in world ${id}`);
    if (account.code.length === 0) throw new RequestError(`account ${addressHex} has no code`);
    return { ...inspectCode(account.code), ...(await codeText(account.code)) };
  }

  /**
   * The world as a scenario: the state it started from, its transactions with their results as `expect`, and the
   * state they led to as a final checkState (scenarioExport.ts).
   */
  async scenario(id: string, database?: string): Promise<{ Scenario: string; Notes: string[] }> {
    const file = this.worldFile(id, database);
    return this.locked(file, async () => {
      const world = await this.existingWorld(id, database);
      return exportScenario(world, await readTransactions(file, world.transactionCount));
    });
  }

  async getTransactions(id: string, database?: string): Promise<{ Transactions: TransactionRecord[] }> {
    const world = await this.existingWorld(id, database);
    return { Transactions: await readTransactions(this.worldFile(id, database), world.transactionCount) };
  }

  async getTransaction(id: string, txId: string, database?: string): Promise<unknown> {
    const { Transactions } = await this.getTransactions(id, database);
    const tx = Transactions.find((t) => String(t.ID) === txId);
    if (!tx) throw new RequestError(`no transaction ${txId} in world ${id}`);
    return { Transaction: tx };
  }

  /**
   * Sets the current block (`Nonce`, `Round`, `Timestamp`, `Epoch`, `RandomSeedHex`; keys case-insensitive) and/or
   * advances it (`Advance: {Nonce: 10, Timestamp: 60}`); the block the next transactions run in.
   */
  setBlock(id: string, body: unknown, database?: string): Promise<{ Block: unknown }> {
    const set = blockFields(body, 'block');
    const seedText = isRecord(body)
      ? Object.entries(body).find(([k]) => k.toLowerCase() === 'randomseedhex')?.[1]
      : undefined;
    if (seedText !== undefined && typeof seedText !== 'string')
      throw new RequestError(`invalid block random seed: expected hex text, got ${JSON.stringify(seedText)}`);
    const seed = seedText === undefined ? undefined : decodeHex(seedText, 'invalid block random seed: expected hex');
    const advanceBody = isRecord(body)
      ? Object.entries(body).find(([k]) => k.toLowerCase() === 'advance')?.[1]
      : undefined;
    const advance = advanceBody === undefined ? {} : blockFields(advanceBody, 'advance');
    const file = this.worldFile(id, database);
    return this.locked(file, async () => {
      const world = await loadWorld(file, id);
      const b = { nonce: 0n, round: 0n, timestamp: 0n, epoch: 0, ...world.currentBlock };
      const next = {
        nonce: (set.nonce ?? b.nonce) + (advance.nonce ?? 0n),
        round: (set.round ?? b.round) + (advance.round ?? 0n),
        timestamp: (set.timestamp ?? b.timestamp) + (advance.timestamp ?? 0n),
        epoch: Number(BigInt(set.epoch ?? b.epoch) + BigInt(advance.epoch ?? 0)),
      };
      if (next.epoch >= 2 ** 32) throw new RequestError('invalid block epoch: at most 4294967295');
      world.currentBlock = next;
      if (seed) world.randomSeed = seed;
      world.atLastTransaction = false;
      await saveWorld(file, world);
      return { Block: world.toFileObject().Block };
    });
  }

  /** Copies the world file aside; returns the snapshot's id. */
  snapshot(id: string, database?: string): Promise<{ SnapshotID: string }> {
    const file = this.worldFile(id, database);
    return this.locked(file, async () => {
      const world = await loadWorld(file, id);
      const dir = path.join(this.database(database), 'snapshots', id);
      const taken = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^\d+\.json$/.test(n));
      const snapshotId = String(taken.length + 1);
      await writeFileAtomic(path.join(dir, `${snapshotId}.json`), world.toFileText());
      return { SnapshotID: snapshotId };
    });
  }

  /** Puts a snapshot back as the world (the snapshot stays, to revert to again). */
  revert(id: string, snapshotId: string, database?: string): Promise<{ World: Record<string, unknown> }> {
    if (!/^\d+$/.test(snapshotId)) throw new RequestError(`invalid snapshot id ${JSON.stringify(snapshotId)}`);
    const file = this.worldFile(id, database);
    const snapshotFile = path.join(this.database(database), 'snapshots', id, `${snapshotId}.json`);
    return this.locked(file, async () => {
      const world = await loadWorld(snapshotFile, id);
      if (world.accounts.size === 0 && !(await exists(snapshotFile)))
        throw new RequestError(`no snapshot ${snapshotId} of world ${id}`);
      await saveWorld(file, world);
      return { World: world.toFileObject() };
    });
  }

  /** Deletes a world file (its snapshots stay). */
  deleteWorld(id: string, database?: string): Promise<{ Deleted: string }> {
    const file = this.worldFile(id, database);
    return this.locked(file, async () => {
      try {
        await unlink(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RequestError(`no world ${id}`);
        throw error;
      }
      await deleteTransactions(file);
      return { Deleted: id };
    });
  }

  // ------------------------------------------------------------------ helpers

  private database(given?: string): string {
    return insideRoot(this.root, this.base, given || './db', 'database path');
  }

  private worldFile(id: string, database?: string): string {
    return path.join(this.database(database), 'worlds', `${checkName(id, 'world')}.json`);
  }

  private async existingWorld(id: string, database?: string): Promise<DebugWorld> {
    const file = this.worldFile(id, database);
    if (!(await exists(file))) throw new RequestError(`no world ${id}`);
    return loadWorld(file, id);
  }

  private target(r: { DatabasePath?: string; World?: string; Outcome?: string }): Target {
    const db = this.database(r.DatabasePath);
    const worldId = checkName(r.World || 'default', 'world');
    const outcome = r.Outcome ? checkName(r.Outcome, 'outcome') : undefined;
    return {
      worldFile: path.join(db, 'worlds', `${worldId}.json`),
      worldId,
      outcomeFile: outcome && path.join(db, 'out', `${outcome}.json`),
    };
  }

  private code(r: { CodeHex?: string; CodePath?: string; CodeMetadata?: string }): {
    code?: Uint8Array;
    path?: string;
    metadata: Uint8Array;
  } {
    const metadata = r.CodeMetadata ? decodeHex(r.CodeMetadata, 'invalid code metadata') : DEFAULT_CODE_METADATA;
    if (r.CodePath) return { path: insideRoot(this.root, this.base, r.CodePath, 'code path'), metadata };
    const code = decodeHex(r.CodeHex ?? '', 'invalid contract code');
    if (code.length === 0) throw new RequestError('invalid contract code');
    return { code, metadata };
  }

  /**
   * Runs `work` after every earlier request of this process on the same world file, holding the world's lock file
   * (other processes on the same database: worldLock.ts).
   */
  private locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const held = () => withWorldLock(key.replace(/\.json$/, '.lock'), work);
    const run = previous.then(held, held);
    const tail = run.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }

  private async finish<T>(target: Target, data: T): Promise<T> {
    await this.storeOutcome(target, data);
    return data;
  }

  private async storeOutcome(target: Target, data: unknown): Promise<void> {
    if (target.outcomeFile) await writeFileAtomic(target.outcomeFile, `${goJson(data, '\t')}\n`);
  }
}

/** The code given, or read from CodePath (a read error is a bad request, as in the reference). */
async function resolveCode(code: { code?: Uint8Array; path?: string }): Promise<Uint8Array> {
  if (code.code) return code.code;
  try {
    return new Uint8Array(await readFile(code.path!));
  } catch (error) {
    throw new RequestError(`cannot read the code file: ${(error as Error).message}`);
  }
}

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const BLOCK_KEYS = ['nonce', 'round', 'timestamp', 'epoch'] as const;

/** Block fields of a body (case-insensitive keys, whole non-negative numbers); others ignored. */
function blockFields(body: unknown, where: string): Partial<Record<(typeof BLOCK_KEYS)[number], bigint>> {
  if (!isRecord(body)) throw new RequestError(`invalid ${where}: expected an object`);
  const out: Partial<Record<(typeof BLOCK_KEYS)[number], bigint>> = {};
  for (const [key, value] of Object.entries(body)) {
    const name = BLOCK_KEYS.find((k) => k === key.toLowerCase());
    if (!name) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
      throw new RequestError(`invalid ${where} ${name}: expected a whole number, got ${JSON.stringify(value)}`);
    out[name] = BigInt(value);
  }
  return out;
}

function response(input: VMInput, output: VMOutput | null, error: Error | null = null): ContractResponse {
  return {
    Error: error ? { Message: error.message } : null,
    Input: input,
    Output: output && goOutput(output),
    ...(output && { ReturnCodeString: returnCodeString(output.ReturnCode) }),
  };
}

const hex = (bytes: Uint8Array | null): string => Buffer.from(bytes ?? []).toString('hex');
const hexOf = hex;

/** JSON-safe: bytes as hex, big integers as decimal strings (the transaction log is ours, not the reference's). */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return hex(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Go renders OutputAccounts and StorageUpdates as maps keyed by raw bytes; here keyed by their hex. */
function goOutput(output: VMOutput): unknown {
  const accounts = (output.OutputAccounts ?? []).map((a) => [
    hex(a.Address),
    { ...a, StorageUpdates: Object.fromEntries((a.StorageUpdates ?? []).map((u) => [hex(u.Offset), u])) },
  ]);
  return { ...output, OutputAccounts: Object.fromEntries(accounts) };
}
