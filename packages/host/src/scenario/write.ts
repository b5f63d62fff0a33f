/**
 * The model -> JSON text, in the reference writer's layout (`mjwrite` + its ordered-JSON `JSONString`): 4-space
 * indentation, the original value strings, keys in the order they were read (else the reference writer's order),
 * only the fields the model has. A value whose text no longer evaluates to its value is never silently changed: it
 * is written in hex and a note says where (`options.notes`).
 */
import { jsonArray, jsonBool, jsonObject, jsonString, writeJson, type JsonNode } from './json';
import {
  ANY,
  type Account,
  type BigValue,
  type BlockInfo,
  type Bytes,
  type CheckAccount,
  type CheckAccounts,
  type CheckBig,
  type CheckBytes,
  type LegacyBlock,
  type LegacyTest,
  type LogEntry,
  type Scenario,
  type Step,
  type StorageEntry,
  type TestFile,
  type Tx,
  type TxExpect,
  type Value,
} from './model';
import { evalBigUint, evalBytes, evalSigned, type EvalContext } from './valueExpression';

export interface WriteOptions {
  /** Receives one line per value written in hex because its text did not evaluate to its value. */
  notes?: string[];
}

type Entry = [string, JsonNode | undefined];

/** Entries in `keys` order (the order read), then the rest in the writer's own order; absent fields dropped. */
function ordered(entries: Entry[], keys: readonly string[] | undefined): JsonNode {
  const present = entries.filter((e): e is [string, JsonNode] => e[1] !== undefined);
  if (keys) {
    const rank = new Map(keys.map((k, i) => [k, i]));
    present.sort((a, b) => (rank.get(a[0]) ?? Infinity) - (rank.get(b[0]) ?? Infinity));
  }
  return jsonObject(present.map(([key, value]) => ({ key, value })));
}

const CTX: EvalContext = { baseDir: process.cwd(), replacements: new Map(), readFiles: false };
const hex = (bytes: Uint8Array) => (bytes.length === 0 ? '' : `0x${Buffer.from(bytes).toString('hex')}`);
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const bigHex = (n: bigint) => (n < 0n ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`);
const str = (s: string | undefined) => (s === undefined ? undefined : jsonString(s));

class Writer {
  constructor(private readonly notes: string[] | undefined) {}

  /** The original text if it still evaluates to the value; else `fallback`, noted when there was a text. */
  private text<T>(
    v: Value<T>,
    where: string,
    evaluate: (text: string) => T,
    same: (a: T, b: T) => boolean,
    fallback: (value: T) => string,
  ): string {
    if (v.original === undefined) return fallback(v.value);
    // `file:` contents are not re-read: the text is taken as the source of the bytes.
    if (v.original.includes('file:')) return v.original;
    let matches: boolean;
    try {
      matches = same(evaluate(v.original), v.value);
    } catch {
      matches = false;
    }
    if (matches) return v.original;
    const written = fallback(v.value);
    this.notes?.push(`${where}: ${JSON.stringify(v.original)} does not evaluate to the value; written as ${written}`);
    return written;
  }

  bytes = (v: Bytes | undefined, where: string): JsonNode | undefined =>
    v && jsonString(this.text(v, where, (t) => evalBytes(t, CTX), sameBytes, hex));

  checkBytes = (v: CheckBytes | undefined, where: string): JsonNode | undefined => {
    if (!v) return undefined;
    const evaluate = (t: string) => (t === '*' ? ANY : evalBytes(t, CTX));
    const same = (a: Uint8Array | typeof ANY, b: Uint8Array | typeof ANY) =>
      a === ANY || b === ANY ? a === b : sameBytes(a, b);
    return jsonString(this.text(v, where, evaluate, same, (x) => (x === ANY ? '*' : hex(x))));
  };

  big = (v: BigValue | undefined, where: string, signed = false): JsonNode | undefined =>
    v &&
    jsonString(
      this.text(
        v,
        where,
        (t) => (signed ? evalSigned(t, CTX) : evalBigUint(t, CTX)),
        (a, b) => a === b,
        v.original === undefined ? (n) => n.toString() : bigHex,
      ),
    );

  checkBig = (v: CheckBig | undefined, where: string): JsonNode | undefined => {
    if (!v) return undefined;
    const evaluate = (t: string) => (t === '*' ? ANY : evalBigUint(t, CTX));
    const fallback = (x: bigint | typeof ANY) =>
      x === ANY ? '*' : v.original === undefined ? x.toString() : bigHex(x);
    return jsonString(this.text(v, where, evaluate, (a, b) => a === b, fallback));
  };

  list = <T>(items: readonly T[] | undefined, where: string, write: (item: T, where: string) => JsonNode | undefined) =>
    items && jsonArray(items.map((item, i) => write(item, `${where}[${i}]`)!));

  // ---------------------------------------------------------------- scenario

  scenario(s: Scenario): JsonNode {
    return ordered(
      [
        ['name', str(s.name)],
        ['comment', str(s.comment)],
        ['checkGas', s.checkGas === undefined ? undefined : jsonBool(s.checkGas)],
        ['steps', this.list(s.steps, '$.steps', (step, w) => this.step(step, w))],
      ],
      s.keys,
    );
  }

  step(step: Step, where: string): JsonNode {
    const head: Entry = ['step', jsonString(step.kind)];
    switch (step.kind) {
      case 'externalSteps':
        return ordered([head, ['path', jsonString(step.path)]], step.keys);
      case 'dumpState':
        return ordered([head, ['comment', str(step.comment)]], step.keys);
      case 'setState':
        return ordered(
          [
            head,
            ['comment', str(step.comment)],
            ['accounts', step.accounts && this.accounts(step.accounts, `${where}.accounts`)],
            [
              'newAddresses',
              this.list(step.newAddresses, `${where}.newAddresses`, (m, w) =>
                ordered(
                  [
                    ['creatorAddress', this.bytes(m.creatorAddress, `${w}.creatorAddress`)],
                    ['creatorNonce', this.big(m.creatorNonce, `${w}.creatorNonce`)],
                    ['newAddress', this.bytes(m.newAddress, `${w}.newAddress`)],
                  ],
                  m.keys,
                ),
              ),
            ],
            ['previousBlockInfo', step.previousBlockInfo && this.blockInfo(step.previousBlockInfo, where)],
            ['currentBlockInfo', step.currentBlockInfo && this.blockInfo(step.currentBlockInfo, where)],
            ['blockHashes', this.list(step.blockHashes, `${where}.blockHashes`, this.bytes)],
          ],
          step.keys,
        );
      case 'checkState':
        return ordered(
          [head, ['comment', str(step.comment)], ['accounts', this.checkAccounts(step.accounts, `${where}.accounts`)]],
          step.keys,
        );
      default:
        return ordered(
          [
            head,
            ['txId', str(step.txId)],
            ['comment', str(step.comment)],
            ['tx', this.tx(step.tx, `${where}.tx`, false)],
            ['expect', step.expect && this.expect(step.expect, `${where}.expect`)],
          ],
          step.keys,
        );
    }
  }

  accounts(accounts: readonly Account[], where: string): JsonNode {
    return jsonObject(
      accounts.map((a) => {
        const key = this.keyText(a.address, where);
        const w = `${where}[${JSON.stringify(key)}]`;
        return {
          key,
          value: ordered(
            [
              ['comment', str(a.comment)],
              ['nonce', this.big(a.nonce, `${w}.nonce`)],
              ['balance', this.big(a.balance, `${w}.balance`)],
              ['storage', a.storage && this.storage(a.storage, `${w}.storage`)],
              ['code', this.bytes(a.code, `${w}.code`)],
              ['asyncCallData', str(a.asyncCallData)],
            ],
            a.keys,
          ),
        };
      }),
    );
  }

  checkAccounts(map: CheckAccounts, where: string): JsonNode {
    const entries: Entry[] = map.accounts.map((a: CheckAccount) => {
      const key = this.keyText(a.address, where);
      const w = `${where}[${JSON.stringify(key)}]`;
      return [
        key,
        ordered(
          [
            ['comment', str(a.comment)],
            ['nonce', this.checkBig(a.nonce, `${w}.nonce`)],
            ['balance', this.checkBig(a.balance, `${w}.balance`)],
            ['storage', a.storage === ANY ? jsonString('*') : a.storage && this.storage(a.storage, `${w}.storage`)],
            ['code', this.checkBytes(a.code, `${w}.code`)],
            ['asyncCallData', str(a.asyncCallData)],
          ],
          a.keys,
        ),
      ];
    });
    entries.push(['+', str(map.othersAllowed)]);
    return ordered(entries, map.keys);
  }

  private keyText(address: Bytes, where: string): string {
    return (this.bytes(address, where) as { value: string }).value;
  }

  storage(entries: readonly StorageEntry[], where: string): JsonNode {
    return jsonObject(
      entries.map((e) => {
        const key = this.keyText(e.key, where);
        return { key, value: this.bytes(e.value, `${where}[${JSON.stringify(key)}]`)! };
      }),
    );
  }

  blockInfo(info: BlockInfo, where: string): JsonNode {
    return ordered(
      [
        ['blockTimestamp', this.big(info.blockTimestamp, `${where}.blockTimestamp`)],
        ['blockNonce', this.big(info.blockNonce, `${where}.blockNonce`)],
        ['blockRound', this.big(info.blockRound, `${where}.blockRound`)],
        ['blockEpoch', this.big(info.blockEpoch, `${where}.blockEpoch`)],
      ],
      info.keys,
    );
  }

  tx(tx: Tx, where: string, legacy: boolean): JsonNode {
    const field: Record<string, JsonNode | undefined> = {
      from: this.bytes(tx.from, `${where}.from`),
      to: this.bytes(tx.to, `${where}.to`),
      value: this.big(tx.value, `${where}.value`),
      function: str(tx.function),
      contractCode: this.bytes(tx.contractCode, `${where}.contractCode`),
      arguments: this.list(tx.arguments, `${where}.arguments`, this.bytes),
      gasLimit: this.big(tx.gasLimit, `${where}.gasLimit`),
      gasPrice: this.big(tx.gasPrice, `${where}.gasPrice`),
      nonce: this.big(tx.nonce, `${where}.nonce`),
    };
    const order = legacy
      ? ['nonce', 'function', 'gasLimit', 'value', 'to', 'arguments', 'contractCode', 'gasPrice', 'from']
      : ['from', 'to', 'value', 'function', 'contractCode', 'arguments', 'gasLimit', 'gasPrice', 'nonce'];
    return ordered(
      order.map((key) => [key, field[key]]),
      tx.keys,
    );
  }

  expect(e: TxExpect, where: string): JsonNode {
    const logs =
      typeof e.logs === 'string' ? jsonString(e.logs) : this.list(e.logs, `${where}.logs`, (l, w) => this.log(l, w));
    return ordered(
      [
        ['out', this.list(e.out, `${where}.out`, this.checkBytes)],
        ['status', this.big(e.status, `${where}.status`, true)],
        ['message', str(e.message)],
        ['logs', logs],
        ['gas', this.checkBig(e.gas, `${where}.gas`)],
        ['refund', this.checkBig(e.refund, `${where}.refund`)],
      ],
      e.keys,
    );
  }

  log(log: LogEntry, where: string): JsonNode {
    return ordered(
      [
        ['address', this.bytes(log.address, `${where}.address`)],
        ['identifier', this.bytes(log.identifier, `${where}.identifier`)],
        ['topics', this.list(log.topics, `${where}.topics`, this.bytes)],
        ['data', this.bytes(log.data, `${where}.data`)],
      ],
      log.keys,
    );
  }

  // ---------------------------------------------------------------- legacy tests

  testFile(file: TestFile): JsonNode {
    return jsonObject(file.tests.map((t) => ({ key: t.name, value: this.test(t, `$[${JSON.stringify(t.name)}]`) })));
  }

  test(t: LegacyTest, where: string): JsonNode {
    return ordered(
      [
        ['checkGas', t.checkGas === undefined ? undefined : jsonBool(t.checkGas)],
        ['pre', t.pre && this.accounts(t.pre, `${where}.pre`)],
        ['blocks', this.list(t.blocks, `${where}.blocks`, (b, w) => this.block(b, w))],
        ['network', str(t.network)],
        ['blockHashes', this.list(t.blockHashes, `${where}.blockHashes`, this.bytes)],
        ['postState', t.postState && this.checkAccounts(t.postState, `${where}.postState`)],
      ],
      t.keys,
    );
  }

  block(b: LegacyBlock, where: string): JsonNode {
    const h = b.blockHeader;
    const w = `${where}.blockHeader`;
    return ordered(
      [
        ['results', this.list(b.results, `${where}.results`, (r, rw) => this.expect(r, rw))],
        ['transactions', this.list(b.transactions, `${where}.transactions`, (tx, tw) => this.tx(tx, tw, true))],
        [
          'blockHeader',
          h &&
            ordered(
              [
                ['gasLimit', this.big(h.gasLimit, `${w}.gasLimit`)],
                ['number', this.big(h.number, `${w}.number`)],
                ['difficulty', this.big(h.difficulty, `${w}.difficulty`)],
                ['timestamp', this.big(h.timestamp, `${w}.timestamp`)],
                ['coinbase', this.big(h.coinbase, `${w}.coinbase`)],
              ],
              h.keys,
            ),
        ],
      ],
      b.keys,
    );
  }
}

/** A scenario as the text of a `.scen.json` / `.steps.json` file. */
export function writeScenario(scenario: Scenario, options: WriteOptions = {}): string {
  return writeJson(new Writer(options.notes).scenario(scenario));
}

/** One step as JSON text (the layout of a step at the top level). */
export function writeStep(step: Step, options: WriteOptions = {}): string {
  return writeJson(new Writer(options.notes).step(step, '$'));
}

/** A legacy test file as the text of a `.test.json` file. */
export function writeTestFile(file: TestFile, options: WriteOptions = {}): string {
  return writeJson(new Writer(options.notes).testFile(file));
}

/** An accounts map (a setState's `accounts`) as JSON text. */
export function writeAccounts(accounts: readonly Account[], options: WriteOptions = {}): string {
  return writeJson(new Writer(options.notes).accounts(accounts, '$'));
}
