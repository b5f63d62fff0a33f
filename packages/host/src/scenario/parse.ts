/**
 * Scenario JSON -> the model (model.ts). Every error is a ScenarioError naming the file and the JSON path of the
 * offending value. Values are evaluated while parsing (`file:` contents read, relative to the file's directory) and
 * keep their text; objects keep their key order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fromJs, parseJson, type JsonNode } from './json';
import {
  ANY,
  type Account,
  type BlockHeader,
  type BlockInfo,
  type CheckAccount,
  type CheckAccounts,
  type LegacyBlock,
  type LegacyTest,
  type LogEntry,
  type Scenario,
  type Step,
  type StorageEntry,
  type TestFile,
  type Tx,
  type TxExpect,
  type TxKind,
  type TxStep,
  type Value,
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

export interface ParseOptions {
  /** The file the text came from: errors name it, and `file:` paths are relative to its directory. */
  file?: string;
  /** Where `file:` paths are relative to when there is no file (default: the current directory). */
  baseDir?: string;
  /** `file:` path rewrites (exact match on the text after `file:`). */
  replacements?: ReadonlyMap<string, string>;
  /** false: `file:` values are not read (they evaluate to no bytes); for tools that only rewrite text. */
  readFiles?: boolean;
}

type Evaluator<T> = (expression: string, ctx: EvalContext) => T;

/** A JSON value with its path, for errors that say where. */
class Node {
  constructor(
    readonly json: JsonNode,
    readonly where: string,
    readonly ctx: EvalContext,
    readonly file: string | undefined,
  ) {}

  fail(message: string, where = this.where): never {
    throw new ScenarioError(this.file ? `${this.file}: ${where}: ${message}` : `${where}: ${message}`, {
      file: this.file,
      jsonPath: where,
    });
  }

  private child(json: JsonNode, where: string): Node {
    return new Node(json, where, this.ctx, this.file);
  }

  object(allowed?: readonly string[]): readonly { key: string; value: JsonNode }[] {
    if (this.json.kind !== 'object') return this.fail('expected an object');
    if (allowed)
      for (const { key } of this.json.entries)
        if (!allowed.includes(key)) this.fail(`unknown field ${JSON.stringify(key)}`);
    return this.json.entries;
  }

  keys(): string[] {
    return this.object().map((e) => e.key);
  }

  get(key: string): Node | undefined {
    const entry = this.object().find((e) => e.key === key);
    return entry && this.child(entry.value, `${this.where}.${key}`);
  }

  required(key: string): Node {
    return this.get(key) ?? this.fail(`missing field ${JSON.stringify(key)}`);
  }

  entries(): [string, Node][] {
    return this.object().map(({ key, value }) => [key, this.child(value, `${this.where}[${JSON.stringify(key)}]`)]);
  }

  array(): Node[] {
    if (this.json.kind !== 'array') return this.fail('expected an array');
    return this.json.items.map((item, i) => this.child(item, `${this.where}[${i}]`));
  }

  string(): string {
    if (this.json.kind !== 'string') return this.fail('expected a string');
    return this.json.value;
  }

  bool(): boolean {
    if (this.json.kind !== 'bool') return this.fail('expected true or false');
    return this.json.value;
  }

  /** The string and what `fn` makes of it, errors reported at this path. */
  value<T>(fn: Evaluator<T>): Value<T> {
    return this.evalText(this.string(), fn);
  }

  /** As `value`, with `"*"` meaning ANY. */
  check<T>(fn: Evaluator<T>): Value<T | typeof ANY> {
    return this.json.kind === 'string' && this.json.value === '*' ? { original: '*', value: ANY } : this.value(fn);
  }

  /** Evaluates a text found at this path (a value, or a map key). */
  evalText<T>(original: string, fn: Evaluator<T>): Value<T> {
    try {
      return { original, value: fn(original, this.ctx) };
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      return this.fail(error.message);
    }
  }
}

const opt = <T>(node: Node | undefined, read: (n: Node) => T): T | undefined =>
  node === undefined ? undefined : read(node);

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(`${file}: cannot read: ${(error as Error).message}`, { file });
  }
}

function rootNode(json: JsonNode, options: ParseOptions): Node {
  const baseDir = options.file ? path.dirname(options.file) : (options.baseDir ?? process.cwd());
  const ctx: EvalContext = {
    baseDir: options.baseDir ?? baseDir,
    replacements: options.replacements ?? new Map(),
    readFiles: options.readFiles,
  };
  return new Node(json, '$', ctx, options.file);
}

const toJson = (input: string | object, file: string | undefined): JsonNode =>
  typeof input === 'string' ? parseJson(input, file) : fromJs(input);

// ------------------------------------------------------------------ scenarios

export function parseScenarioFile(file: string, options: Omit<ParseOptions, 'file'> = {}): Scenario {
  return parseScenario(readText(file), { ...options, file });
}

/** A scenario from its JSON text, or from a JS object (whose integer-like keys JS has already reordered). */
export function parseScenario(input: string | object, options: ParseOptions = {}): Scenario {
  const root = rootNode(toJson(input, options.file), options);
  root.object(['name', 'comment', 'checkGas', 'steps']);
  return {
    ...(options.file === undefined ? {} : { file: options.file }),
    keys: root.keys(),
    name: opt(root.get('name'), (n) => n.string()),
    comment: opt(root.get('comment'), (n) => n.string()),
    checkGas: opt(root.get('checkGas'), (n) => n.bool()),
    steps: opt(root.get('steps'), (n) => n.array().map(parseStepNode)) ?? [],
  };
}

/** One step, from a JSON snippet or an object (the reference's `ParseScenarioStep`). */
export function parseScenarioStep(input: string | object, options: ParseOptions = {}): Step {
  return parseStepNode(rootNode(toJson(input, options.file), options));
}

function parseStepNode(node: Node): Step {
  const kind = node.required('step').string();
  const keys = node.keys();
  switch (kind) {
    case 'externalSteps':
      node.object(['step', 'path']);
      return { kind, keys, path: node.required('path').string() };
    case 'setState':
      node.object([
        'step',
        'comment',
        'accounts',
        'newAddresses',
        'previousBlockInfo',
        'currentBlockInfo',
        'blockHashes',
      ]);
      return {
        kind,
        keys,
        comment: opt(node.get('comment'), (n) => n.string()),
        accounts: opt(node.get('accounts'), parseAccounts),
        newAddresses: opt(node.get('newAddresses'), (n) =>
          n.array().map((entry) => {
            entry.object(['creatorAddress', 'creatorNonce', 'newAddress']);
            return {
              keys: entry.keys(),
              creatorAddress: entry.required('creatorAddress').value(evalAddress),
              creatorNonce: entry.required('creatorNonce').value(evalU64),
              newAddress: entry.required('newAddress').value(evalAddress),
            };
          }),
        ),
        previousBlockInfo: opt(node.get('previousBlockInfo'), parseBlockInfo),
        currentBlockInfo: opt(node.get('currentBlockInfo'), parseBlockInfo),
        blockHashes: opt(node.get('blockHashes'), (n) => n.array().map((h) => h.value(evalBytes))),
      };
    case 'checkState':
      node.object(['step', 'comment', 'accounts']);
      return {
        kind,
        keys,
        comment: opt(node.get('comment'), (n) => n.string()),
        accounts: parseCheckAccounts(node.required('accounts')),
      };
    case 'dumpState':
      node.object(['step', 'comment']);
      return { kind, keys, comment: opt(node.get('comment'), (n) => n.string()) };
    case 'scDeploy':
    case 'scCall':
    case 'transfer':
    case 'validatorReward':
    case 'scQuery':
      return parseTxStep(node, kind);
    default:
      return node.required('step').fail(`unknown step type ${JSON.stringify(kind)}`);
  }
}

// ------------------------------------------------------------------ accounts

const ACCOUNT_FIELDS = ['comment', 'nonce', 'balance', 'storage', 'code', 'asyncCallData'];

function parseAccounts(node: Node): Account[] {
  return node.entries().map(([key, a]) => {
    a.object(ACCOUNT_FIELDS);
    return {
      keys: a.keys(),
      address: a.evalText(key, evalAddress),
      comment: opt(a.get('comment'), (n) => n.string()),
      nonce: opt(a.get('nonce'), (n) => n.value(evalU64)),
      balance: a.required('balance').value(evalBigUint),
      storage: opt(a.get('storage'), parseStorage),
      code: opt(a.get('code'), (n) => n.value(evalBytes)),
      asyncCallData: opt(a.get('asyncCallData'), (n) => n.string()),
    };
  });
}

function parseStorage(node: Node): StorageEntry[] {
  return node.entries().map(([key, value]) => ({ key: value.evalText(key, evalBytes), value: value.value(evalBytes) }));
}

function parseCheckAccounts(node: Node): CheckAccounts {
  let othersAllowed: string | undefined;
  const accounts: CheckAccount[] = [];
  for (const [key, a] of node.entries()) {
    if (key === '+') {
      othersAllowed = a.string();
      continue;
    }
    a.object(ACCOUNT_FIELDS);
    accounts.push({
      keys: a.keys(),
      address: a.evalText(key, evalAddress),
      comment: opt(a.get('comment'), (n) => n.string()),
      nonce: opt(a.get('nonce'), (n) => n.check(evalU64)),
      balance: a.required('balance').check(evalBigUint),
      storage: opt(a.get('storage'), (n) => (n.json.kind === 'string' && n.json.value === '*' ? ANY : parseStorage(n))),
      code: opt(a.get('code'), (n) => n.check(evalBytes)),
      asyncCallData: opt(a.get('asyncCallData'), (n) => n.string()),
    });
  }
  return { keys: node.keys(), accounts, othersAllowed };
}

function parseBlockInfo(node: Node): BlockInfo {
  node.object(['blockTimestamp', 'blockNonce', 'blockRound', 'blockEpoch']);
  const u64 = (key: string) => opt(node.get(key), (n) => n.value(evalU64));
  return {
    keys: node.keys(),
    blockTimestamp: u64('blockTimestamp'),
    blockNonce: u64('blockNonce'),
    blockRound: u64('blockRound'),
    blockEpoch: u64('blockEpoch'),
  };
}

// ------------------------------------------------------------------ transactions

const TX_FIELDS: Record<TxKind | 'legacy', readonly string[]> = {
  scDeploy: ['from', 'to', 'value', 'contractCode', 'arguments', 'gasLimit', 'gasPrice', 'nonce'],
  scCall: ['from', 'to', 'value', 'function', 'arguments', 'gasLimit', 'gasPrice', 'nonce'],
  transfer: ['from', 'to', 'value', 'gasLimit', 'gasPrice', 'nonce'],
  validatorReward: ['to', 'value', 'nonce'],
  scQuery: ['to', 'function', 'arguments', 'gasLimit'],
  legacy: ['nonce', 'from', 'to', 'function', 'value', 'arguments', 'contractCode', 'gasPrice', 'gasLimit'],
};

function parseTxStep(node: Node, kind: TxKind): TxStep {
  const withExpect = kind === 'scDeploy' || kind === 'scCall' || kind === 'scQuery';
  node.object(['step', 'txId', 'comment', 'tx', ...(withExpect ? ['expect'] : [])]);
  const tx = node.required('tx');
  return {
    kind,
    keys: node.keys(),
    txId: opt(node.get('txId'), (n) => n.string()),
    comment: opt(node.get('comment'), (n) => n.string()),
    tx: parseTx(tx, kind),
    expect: opt(node.get('expect'), parseExpect),
  };
}

function parseTx(node: Node, kind: TxKind | 'legacy'): Tx {
  node.object(TX_FIELDS[kind]);
  const toNode = node.get('to');
  const deploy = kind === 'scDeploy' || (kind === 'legacy' && (!toNode || toNode.string() === ''));
  if (deploy && toNode && toNode.string() !== '') toNode.fail('a deploy has no recipient');
  if (deploy && node.get('function') && node.get('function')!.string() !== '')
    node.get('function')!.fail('a deploy has no function');
  const required = (key: string, needed: boolean) => (needed ? node.required(key) : node.get(key));
  const u64 = (key: string) => opt(node.get(key), (n) => n.value(evalU64));
  const hasSender = kind !== 'validatorReward' && kind !== 'scQuery';
  const contractCode = opt(required('contractCode', kind === 'scDeploy'), (n) => n.value(evalBytes));
  if (!deploy && contractCode && contractCode.value.length > 0)
    node.get('contractCode')!.fail('contractCode is only allowed in a deploy');
  return {
    keys: node.keys(),
    from: opt(required('from', hasSender), (n) => n.value(evalAddress)),
    to: opt(required('to', !deploy), (n) => (deploy ? n.value(evalBytes) : n.value(evalAddress))),
    value: opt(node.get('value'), (n) => n.value(evalBigUint)),
    function: opt(required('function', kind === 'scCall' || kind === 'scQuery'), (n) => n.string()),
    contractCode,
    arguments: opt(node.get('arguments'), (n) => n.array().map((a) => a.value(evalBytes))),
    gasLimit: u64('gasLimit'),
    gasPrice: u64('gasPrice'),
    nonce: u64('nonce'),
  };
}

function parseExpect(node: Node): TxExpect {
  node.object(['out', 'status', 'message', 'logs', 'gas', 'refund']);
  return {
    keys: node.keys(),
    out: opt(node.get('out'), (n) => n.array().map((o) => o.check(evalBytes))),
    status: opt(node.get('status'), (n) => n.value(evalSigned)),
    message: opt(node.get('message'), (n) => n.string()),
    logs: opt(node.get('logs'), parseLogs),
    gas: opt(node.get('gas'), (n) => n.check(evalU64)),
    refund: opt(node.get('refund'), (n) => n.check(evalBigUint)),
  };
}

function parseLogs(node: Node): LogEntry[] | string {
  if (node.json.kind === 'string') return node.json.value; // "*", or the reference's legacy hash: no logs
  return node.array().map((log): LogEntry => {
    log.object(['address', 'identifier', 'topics', 'data']);
    const identifier = log.required('identifier').value(evalBytes);
    if (identifier.value.length !== 32) log.required('identifier').fail('log identifier is not 32 bytes');
    return {
      keys: log.keys(),
      address: log.required('address').value(evalAddress),
      identifier,
      topics: opt(log.get('topics'), (n) => n.array().map((t) => t.value(evalBytes))),
      data: opt(log.get('data'), (n) => n.value(evalBytes)),
    };
  });
}

// ------------------------------------------------------------------ the legacy .test.json format

export function parseTestFile(file: string, options: Omit<ParseOptions, 'file'> = {}): TestFile {
  return parseTest(readText(file), { ...options, file });
}

/** `{ testName: { checkGas, pre, blocks, network, blockHashes, postState } }`, from text or an object. */
export function parseTest(input: string | object, options: ParseOptions = {}): TestFile {
  const root = rootNode(toJson(input, options.file), options);
  const tests = root.entries().map(([name, node]): LegacyTest => {
    node.object(['checkGas', 'pre', 'blocks', 'network', 'blockHashes', 'postState']);
    return {
      name,
      keys: node.keys(),
      checkGas: opt(node.get('checkGas'), (n) => n.bool()),
      pre: opt(node.get('pre'), parseAccounts),
      blocks: opt(node.get('blocks'), (n) => n.array().map(parseBlock)),
      network: opt(node.get('network'), (n) => n.string()),
      blockHashes: opt(node.get('blockHashes'), (n) => n.array().map((h) => h.value(evalBytes))),
      postState: opt(node.get('postState'), parseCheckAccounts),
    };
  });
  return { ...(options.file === undefined ? {} : { file: options.file }), tests };
}

function parseBlock(node: Node): LegacyBlock {
  node.object(['results', 'transactions', 'blockHeader']);
  const block: LegacyBlock = {
    keys: node.keys(),
    results: opt(node.get('results'), (n) => n.array().map(parseExpect)),
    transactions: opt(node.get('transactions'), (n) => n.array().map((tx) => parseTx(tx, 'legacy'))),
    blockHeader: opt(node.get('blockHeader'), parseBlockHeader),
  };
  if ((block.results?.length ?? 0) !== (block.transactions?.length ?? 0))
    node.fail(`${block.transactions?.length ?? 0} transactions but ${block.results?.length ?? 0} results`);
  return block;
}

function parseBlockHeader(node: Node): BlockHeader {
  node.object(['gasLimit', 'number', 'difficulty', 'timestamp', 'coinbase']);
  const big = (key: string) => opt(node.get(key), (n) => n.value(evalBigUint));
  return {
    keys: node.keys(),
    gasLimit: big('gasLimit'),
    number: big('number'),
    difficulty: big('difficulty'),
    timestamp: opt(node.get('timestamp'), (n) => n.value(evalU64)),
    coinbase: big('coinbase'),
  };
}
