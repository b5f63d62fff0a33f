/**
 * A world as a scenario, so a debugging session becomes a regression test: a setState with the state the
 * transactions started from, each deploy/upgrade/run as an scDeploy/scCall step with its result as `expect`, and
 * the state they led to as a closing checkState. Written with the scenario writer; `vm-scenario` replays it.
 *
 * Where the state came from: a transaction record carries `Before` (the world before it) whenever the world was
 * changed since the previous record by something that is not a transaction (an account created, the block set,
 * a world file loaded); each such record opens with a setState of that state. The deploys' addresses are the debug
 * world's (not the scenario runner's generator): each is given as a `newAddresses` mock.
 */
import type {
  Account,
  BigValue,
  Bytes,
  CheckAccount,
  LogEntry,
  NewAddressMock,
  Scenario,
  SetStateStep,
  Step,
  TxStep,
} from '../scenario/model';
import { ANY } from '../scenario/model';
import { writeScenario } from '../scenario/write';
import { type DebugWorld, parseWorld, type TransactionRecord } from './debugWorld';

const bytes = (hex: unknown): Bytes => ({
  value: Uint8Array.from(Buffer.from(typeof hex === 'string' ? hex : '', 'hex')),
});
const big = (n: unknown): BigValue => ({ value: BigInt(typeof n === 'string' || typeof n === 'number' ? n : 0) });

interface RecordInput {
  CallerAddr: string;
  Arguments: string[] | null;
  CallValue: string;
  GasProvided: string;
  GasPrice: string;
}

interface RecordOutput {
  ReturnData: string[] | null;
  ReturnCode: number;
  ReturnMessage: string;
  GasRemaining: string;
  GasRefund: string;
  Logs: { Address: string; Identifier: string; Topics: string[] | null; Data: string }[] | null;
}

/** The scenario's text, and a note for every transaction it leaves out (and why). */
export function exportScenario(
  world: DebugWorld,
  records: readonly TransactionRecord[],
): { Scenario: string; Notes: string[] } {
  const notes: string[] = [];
  const steps: Step[] = [];
  const mocks: NewAddressMock[] = [];
  const feePayers = new Set<string>();
  let seeded = world.randomSeed.length > 0;
  const kept = replayable(records);
  if (kept.length < records.length)
    notes.push(
      `transactions ${records[0].ID} to ${records[records.length - kept.length - 1].ID} left out: ` +
        'logged without what a replay needs (by an earlier vm-debug)',
    );
  for (const record of kept) {
    if (record.Before !== undefined) {
      const before = parseWorld(JSON.stringify(record.Before), world.id);
      seeded ||= before.randomSeed.length > 0;
      steps.push(setState(before));
    }
    const input = record.Input as RecordInput;
    const output = record.Output as RecordOutput | null;
    if (!output || record.Replayable === false) {
      const why = output ? 'its recipient had no code' : `the VM failed (${JSON.stringify(record.Error)})`;
      notes.push(`transaction ${record.ID} left out: ${why}`);
      continue;
    }
    const kind = record.Kind as 'deploy' | 'upgrade' | 'run';
    if (kind === 'deploy' && record.ContractAddressHex)
      mocks.push({
        creatorAddress: bytes(input.CallerAddr),
        creatorNonce: big(record.CallerNonce),
        newAddress: bytes(record.ContractAddressHex),
      });
    // A fee is what the debug node charges for the gas used; a scenario runner charges the whole gas limit. The
    // transactions are written without a gas price, and the balances of those who paid fees are not checked.
    if (BigInt(String(record.FeePrice ?? '0')) > 0n) feePayers.add(input.CallerAddr);
    steps.push(txStep(record, kind, input, output));
  }
  const first = steps[0];
  if (first === undefined)
    steps.push(setState(world)); // no transactions: the world as it is
  else steps[0] = { ...(first as SetStateStep), newAddresses: mocks };
  if (kept.length === 0 || world.atLastTransaction) steps.push(checkState(world, feePayers));
  else
    notes.push(
      'no closing checkState: the world changed after its last transaction (an account created, the block set, ' +
        'or a transaction a scenario runner cannot replay)',
    );
  if (seeded) notes.push('the block random seed is not part of the scenario format: the replay runs without it');
  const scenario: Scenario = { name: world.id, comment: `vm-debug world ${world.id}`, steps };
  return { Scenario: writeScenario(scenario, { notes }), Notes: notes };
}

/**
 * The records a replay can start from: after the last one logged without what a replay needs (an earlier vm-debug
 * did not log the code and the caller's nonce), from the first one that carries the state before it.
 */
function replayable(records: readonly TransactionRecord[]): readonly TransactionRecord[] {
  let start = 0;
  records.forEach((record, i) => {
    if (typeof record.CallerNonce !== 'string') start = i + 1;
  });
  while (start < records.length && records[start].Before === undefined) start++;
  return records.slice(start);
}

function txStep(
  record: TransactionRecord,
  kind: 'deploy' | 'upgrade' | 'run',
  input: RecordInput,
  output: RecordOutput,
): TxStep {
  const args = (input.Arguments ?? []).map(bytes);
  const common = {
    from: bytes(input.CallerAddr),
    value: big(input.CallValue),
    gasLimit: big(input.GasProvided),
    gasPrice: big(0),
  };
  const tx =
    kind === 'deploy'
      ? { ...common, contractCode: bytes(record.CodeHex), arguments: args }
      : {
          ...common,
          to: bytes(record.ContractAddressHex),
          function: kind === 'upgrade' ? 'upgradeContract' : String(record.Function),
          arguments: kind === 'upgrade' ? [bytes(record.CodeHex), bytes(record.CodeMetadataHex), ...args] : args,
        };
  const logs: LogEntry[] = (output.Logs ?? []).map((l) => ({
    address: bytes(l.Address),
    identifier: bytes(l.Identifier),
    topics: (l.Topics ?? []).map(bytes),
    data: bytes(l.Data),
  }));
  return {
    kind: kind === 'deploy' ? 'scDeploy' : 'scCall',
    txId: String(record.ID),
    tx,
    expect: {
      out: (output.ReturnData ?? []).map(bytes),
      status: big(output.ReturnCode),
      message: output.ReturnMessage,
      logs,
      gas: big(output.GasRemaining),
      refund: big(output.GasRefund),
    },
  };
}

function setState(world: DebugWorld): Step {
  const accounts: Account[] = [...world.accounts.values()]
    .sort((a, b) => Buffer.compare(Buffer.from(a.address), Buffer.from(b.address)))
    .map((a) => ({
      address: { value: a.address },
      nonce: { value: a.nonce },
      balance: { value: a.balance },
      storage: storageOf(a.storage),
      code: { value: a.code },
    }));
  const b = world.currentBlock;
  return {
    kind: 'setState',
    accounts,
    currentBlockInfo: b
      ? {
          blockTimestamp: { value: b.timestamp },
          blockNonce: { value: b.nonce },
          blockRound: { value: b.round },
          blockEpoch: { value: BigInt(b.epoch) },
        }
      : undefined,
  };
}

function checkState(world: DebugWorld, feePayers: ReadonlySet<string>): Step {
  const accounts: CheckAccount[] = [...world.accounts.values()]
    .sort((a, b) => Buffer.compare(Buffer.from(a.address), Buffer.from(b.address)))
    .map((a) => ({
      address: { value: a.address },
      nonce: { value: a.nonce },
      balance: feePayers.has(Buffer.from(a.address).toString('hex'))
        ? { original: '*', value: ANY }
        : { value: a.balance },
      storage: storageOf(a.storage),
      code: { value: a.code },
    }));
  return { kind: 'checkState', accounts: { accounts } };
}

function storageOf(storage: ReadonlyMap<string, Uint8Array>) {
  return [...storage]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, value]) => ({ key: bytes(key), value: { value } }));
}
