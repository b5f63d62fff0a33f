/**
 * Scenario files -> typed steps. Every error names the file and the JSON path of the offending value.
 * The dialect (§2): strings, booleans, objects and arrays only; numbers and null are errors.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ANY,
  type AccountCheck,
  type AccountState,
  type BlockInfoInput,
  type Check,
  type LogCheck,
  type Scenario,
  type Step,
  type TxExpect,
  type TxStep,
} from './model';
import {
  ScenarioError,
  evalAddress,
  evalBigUint,
  evalBytes,
  evalSigned,
  evalU64,
  type EvalContext,
} from './valueExpression';

type Json = string | boolean | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A value with its JSON path, for errors that say where. */
class Node {
  constructor(
    readonly value: Json,
    readonly where: string,
    readonly ctx: EvalContext,
  ) {}

  fail(message: string): never {
    throw new ScenarioError(`${this.where}: ${message}`);
  }

  object(allowed?: readonly string[]): JsonObject {
    if (typeof this.value !== 'object' || Array.isArray(this.value)) this.fail('expected an object');
    if (allowed)
      for (const key of Object.keys(this.value))
        if (!allowed.includes(key)) this.fail(`unknown field ${JSON.stringify(key)}`);
    return this.value;
  }

  get(key: string): Node | undefined {
    const value = this.object()[key];
    return value === undefined ? undefined : new Node(value, `${this.where}.${key}`, this.ctx);
  }

  required(key: string): Node {
    return this.get(key) ?? this.fail(`missing field ${JSON.stringify(key)}`);
  }

  entries(): [string, Node][] {
    return Object.entries(this.object()).map(([k, v]) => [
      k,
      new Node(v, `${this.where}[${JSON.stringify(k)}]`, this.ctx),
    ]);
  }

  array(): Node[] {
    if (!Array.isArray(this.value)) this.fail('expected an array');
    return this.value.map((v, i) => new Node(v, `${this.where}[${i}]`, this.ctx));
  }

  string(): string {
    if (typeof this.value !== 'string') this.fail('expected a string');
    return this.value;
  }

  bool(): boolean {
    if (typeof this.value !== 'boolean') this.fail('expected true or false');
    return this.value;
  }

  /** Evaluates the string with `fn`, reporting errors at this path. */
  eval<T>(fn: (expression: string, ctx: EvalContext) => T): T {
    const text = this.string();
    try {
      return fn(text, this.ctx);
    } catch (error) {
      return this.fail((error as Error).message);
    }
  }

  evalCheck<T>(fn: (expression: string, ctx: EvalContext) => T): Check<T> {
    return this.value === '*' ? ANY : this.eval(fn);
  }
}

const optional = <T>(node: Node | undefined, read: (n: Node) => T, otherwise: T): T =>
  node === undefined ? otherwise : read(node);
const hexKey = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

export function parseScenarioFile(file: string, replacements: ReadonlyMap<string, string> = new Map()): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(`${file}: cannot read: ${(error as Error).message}`);
  }
  let json: Json;
  try {
    json = JSON.parse(text, (_key, value) => {
      if (typeof value === 'number' || value === null)
        throw new ScenarioError(
          `numbers and null are not allowed (found ${JSON.stringify(value)}): write every value as a string`,
        );
      return value;
    });
  } catch (error) {
    throw new ScenarioError(`${file}: invalid JSON: ${(error as Error).message}`);
  }
  const root = new Node(json, `${file}: $`, { baseDir: path.dirname(file), replacements });
  root.object(['name', 'comment', 'checkGas', 'steps']);
  return {
    file,
    name: optional(root.get('name'), (n) => n.string(), ''),
    checkGas: optional(root.get('checkGas'), (n) => n.bool(), true),
    steps: optional(root.get('steps'), (n) => n.array().map(parseStep), []),
  };
}

function parseStep(node: Node): Step {
  const kind = node.required('step').string();
  switch (kind) {
    case 'externalSteps':
      node.object(['step', 'path']);
      return { kind, path: path.resolve(node.ctx.baseDir, node.required('path').string()) };
    case 'setState':
      return parseSetState(node);
    case 'checkState':
      node.object(['step', 'comment', 'accounts']);
      return parseCheckState(node.required('accounts'));
    case 'scDeploy':
    case 'scCall':
    case 'transfer':
    case 'validatorReward':
      return parseTx(node, kind);
    default:
      return node.get('step')!.fail(`unknown step type ${JSON.stringify(kind)}`);
  }
}

function parseSetState(node: Node): Step {
  node.object(['step', 'comment', 'accounts', 'newAddresses', 'previousBlockInfo', 'currentBlockInfo', 'blockHashes']);
  const accounts: AccountState[] = optional(
    node.get('accounts'),
    (n) => n.entries().map(([key, a]) => parseAccount(key, a)),
    [],
  );
  return {
    kind: 'setState',
    accounts,
    newAddresses: optional(
      node.get('newAddresses'),
      (n) =>
        n.array().map((entry) => {
          entry.object(['creatorAddress', 'creatorNonce', 'newAddress']);
          return {
            creator: entry.required('creatorAddress').eval(evalAddress),
            nonce: entry.required('creatorNonce').eval(evalU64),
            address: entry.required('newAddress').eval(evalAddress),
          };
        }),
      [],
    ),
    previousBlockInfo: optional(node.get('previousBlockInfo'), parseBlockInfo, null),
    currentBlockInfo: optional(node.get('currentBlockInfo'), parseBlockInfo, null),
    blockHashes: optional(node.get('blockHashes'), (n) => n.array().map((h) => h.eval(evalBytes)), []),
  };
}

function addressKey(key: string, node: Node): Uint8Array {
  try {
    return evalAddress(key, node.ctx);
  } catch (error) {
    return node.fail((error as Error).message);
  }
}

function parseAccount(key: string, node: Node): AccountState {
  node.object(['comment', 'nonce', 'balance', 'storage', 'code', 'asyncCallData']);
  return {
    address: addressKey(key, node),
    nonce: optional(node.get('nonce'), (n) => n.eval(evalU64), 0n),
    balance: node.required('balance').eval(evalBigUint),
    storage: optional(node.get('storage'), parseStorage, new Map()),
    code: optional(node.get('code'), (n) => n.eval(evalBytes), new Uint8Array(0)),
    asyncCallData: optional(node.get('asyncCallData'), (n) => n.string(), ''),
  };
}

function parseStorage(node: Node): Map<string, Uint8Array> {
  const storage = new Map<string, Uint8Array>();
  for (const [key, value] of node.entries()) {
    let keyBytes: Uint8Array;
    try {
      keyBytes = evalBytes(key, node.ctx);
    } catch (error) {
      return value.fail((error as Error).message);
    }
    const bytes = value.eval(evalBytes);
    if (bytes.length > 0) storage.set(hexKey(keyBytes), bytes);
  }
  return storage;
}

function parseBlockInfo(node: Node): BlockInfoInput {
  node.object(['blockTimestamp', 'blockNonce', 'blockRound', 'blockEpoch']);
  const u64 = (key: string) => optional(node.get(key), (n) => n.eval(evalU64), 0n);
  return {
    timestamp: u64('blockTimestamp'),
    nonce: u64('blockNonce'),
    round: u64('blockRound'),
    epoch: Number(u64('blockEpoch') & 0xffffffffn),
  };
}

function parseCheckState(node: Node): Step {
  const accounts: AccountCheck[] = [];
  let othersAllowed = false;
  for (const [key, a] of node.entries()) {
    if (key === '+') {
      othersAllowed = true;
      continue;
    }
    a.object(['comment', 'nonce', 'balance', 'storage', 'code', 'asyncCallData']);
    accounts.push({
      address: addressKey(key, a),
      nonce: optional(a.get('nonce'), (n) => n.evalCheck(evalU64), 0n),
      balance: a.required('balance').evalCheck(evalBigUint),
      storage: optional<Check<ReadonlyMap<string, Uint8Array>>>(
        a.get('storage'),
        (n) => (n.value === '*' ? ANY : parseStorage(n)),
        new Map(),
      ),
      code: optional(a.get('code'), (n) => n.evalCheck(evalBytes), new Uint8Array(0)),
      asyncCallData: optional(a.get('asyncCallData'), (n) => n.string(), ''),
    });
  }
  return { kind: 'checkState', accounts, othersAllowed };
}

const TX_FIELDS: Record<TxStep['kind'], readonly string[]> = {
  scDeploy: ['from', 'to', 'value', 'contractCode', 'arguments', 'gasLimit', 'gasPrice', 'nonce'],
  scCall: ['from', 'to', 'value', 'function', 'arguments', 'gasLimit', 'gasPrice', 'nonce'],
  transfer: ['from', 'to', 'value', 'gasLimit', 'gasPrice', 'nonce'],
  validatorReward: ['to', 'value', 'nonce'],
};

function parseTx(node: Node, kind: TxStep['kind']): TxStep {
  const withExpect = kind === 'scDeploy' || kind === 'scCall';
  node.object(['step', 'txId', 'comment', 'tx', ...(withExpect ? ['expect'] : [])]);
  const tx = node.required('tx');
  tx.object(TX_FIELDS[kind]);
  const u64 = (key: string) => optional(tx.get(key), (n) => n.eval(evalU64), 0n);
  const to = kind === 'scDeploy' ? null : tx.required('to').eval(evalAddress);
  if (kind === 'scDeploy' && tx.get('to') && tx.get('to')!.string() !== '')
    tx.get('to')!.fail('a deploy has no recipient');
  return {
    kind,
    txId: optional(node.get('txId'), (n) => n.string(), ''),
    from: kind === 'validatorReward' ? null : tx.required('from').eval(evalAddress),
    to,
    value: optional(tx.get('value'), (n) => n.eval(evalBigUint), 0n),
    function: kind === 'scCall' ? tx.required('function').string() : '',
    arguments: optional(tx.get('arguments'), (n) => n.array().map((a) => a.eval(evalBytes)), []),
    contractCode: kind === 'scDeploy' ? tx.required('contractCode').eval(evalBytes) : new Uint8Array(0),
    gasLimit: u64('gasLimit'),
    gasPrice: u64('gasPrice'),
    expect: optional(node.get('expect'), parseExpect, null),
  };
}

function parseExpect(node: Node): TxExpect {
  node.object(['out', 'status', 'message', 'logs', 'gas', 'refund']);
  return {
    out: optional(node.get('out'), (n) => n.array().map((o) => o.evalCheck(evalBytes)), []),
    status: optional(node.get('status'), (n) => n.eval(evalSigned), 0n),
    message: optional(node.get('message'), (n) => n.string(), ''),
    logs: optional(node.get('logs'), parseLogs, []),
    gas: optional(node.get('gas'), (n) => n.evalCheck(evalU64), ANY),
    refund: optional(node.get('refund'), (n) => n.evalCheck(evalBigUint), ANY),
  };
}

function parseLogs(node: Node): Check<LogCheck[]> {
  if (node.value === '*') return ANY;
  if (typeof node.value === 'string') return []; // any other string: no logs (the reference's quirk)
  return node.array().map((log) => {
    log.object(['address', 'identifier', 'topics', 'data']);
    const identifier = log.required('identifier').eval(evalBytes);
    if (identifier.length !== 32) log.required('identifier').fail('log identifier is not 32 bytes');
    return {
      address: log.required('address').eval(evalAddress),
      identifier,
      topics: optional(log.get('topics'), (n) => n.array().map((t) => t.eval(evalBytes)), []),
      data: optional(log.get('data'), (n) => n.eval(evalBigUint), 0n),
    };
  });
}
