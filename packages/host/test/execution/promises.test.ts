import { ReturnCode, type VMOutput } from '@vm/protocol';
import { wat, address, callInput, text } from '@vm/testkit';
import { eeiImports, newHost } from '@vm/testkit/host';

const A = address('contractA');
const B = address('contractB');
const C = address('contractC');
const FAR = address('far-away');
const FAR2 = address('far-away-2');

const IMPORTS = eeiImports('env', { names: ['createAsyncCall', 'finish'] });

/** `fn` creates one promise: to `destination` with call data `data`; its callbacks finish "okN"/"errN". */
const relay = (fn: string, destination: Uint8Array, data: string, tag: string, gas: number) =>
  wat(`(module ${IMPORTS} (memory (export "memory") 1)
    (data (i32.const 0) "${text(destination)}") (data (i32.const 64) "${data}") (data (i32.const 100) "ctx")
    (data (i32.const 110) "onOk") (data (i32.const 120) "onErr") (data (i32.const 130) "ok${tag}") (data (i32.const 140) "err${tag}")
    (func (export "${fn}")
      (call $createAsyncCall (i32.const 100) (i32.const 3) (i32.const 0) (i32.const 32) (i32.const 64) (i32.const ${data.length})
        (i32.const 110) (i32.const 4) (i32.const 120) (i32.const 5) (i64.const ${gas})))
    (func (export "onOk") (call $finish (i32.const 130) (i32.const ${2 + tag.length})))
    (func (export "onErr") (call $finish (i32.const 140) (i32.const ${3 + tag.length}))))`);

const accountData = (out: VMOutput) =>
  Object.fromEntries(
    out
      .OutputAccounts!.filter((a) => a.Data && a.Data.length > 0)
      .map((a) => [text(a.Address)!.replace(/_+$/, ''), text(a.Data)]),
  );

/** The destinations of the promises `owner` saved as pending (its `asyncCalls` record). */
function pendingDestinations(out: VMOutput, owner: Uint8Array): string[] {
  const account = out.OutputAccounts!.find((a) => Buffer.from(a.Address!).equals(owner))!;
  const record = account.StorageUpdates!.find((u) => text(u.Offset) === 'asyncCalls')!;
  const info = JSON.parse(text(record.Data)!) as {
    AsyncContextMap: Record<string, { AsyncCalls: { Destination: string; Status: number }[] }>;
  };
  return Object.values(info.AsyncContextMap)
    .flatMap((context) => context.AsyncCalls)
    .filter((call) => call.Status === 0)
    .map((call) => Buffer.from(call.Destination, 'base64').toString('latin1').replace(/_+$/, ''));
}

describe('[@vm/host] promise chains across shards', () => {
  it('A → B (same shard) → FAR (other shard): the transfer and its data belong to FAR only', async () => {
    const { hook, vm } = newHost();
    hook.setAccount(A, { code: await relay('run', B, 'relay', 'A', 3_000_000) });
    hook.setAccount(B, { code: await relay('relay', FAR, 'doIt', 'B', 100_000) });
    const out = vm.runSmartContractCall(callInput(A, 'run', { GasProvided: 5_000_000n }));
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(accountData(out)).toEqual({ 'far-away': 'doIt' });
    // each contract keeps its own promise pending until its answer comes back
    expect(pendingDestinations(out, A)).toEqual(['contractB']);
    expect(pendingDestinations(out, B)).toEqual(['far-away']);
  });

  it('A → {B (same shard) → FAR, FAR2 (other shard)}: each far destination receives its own call only', async () => {
    const { hook, vm } = newHost();
    const two = await wat(`(module ${IMPORTS} (memory (export "memory") 1)
      (data (i32.const 0) "${text(B)}") (data (i32.const 32) "${text(FAR2)}") (data (i32.const 64) "relaypong")
      (data (i32.const 100) "ctx") (data (i32.const 110) "onOk") (data (i32.const 120) "onErr")
      (func (export "run")
        (call $createAsyncCall (i32.const 100) (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 64) (i32.const 5)
          (i32.const 110) (i32.const 4) (i32.const 120) (i32.const 5) (i64.const 2000000))
        (call $createAsyncCall (i32.const 100) (i32.const 3) (i32.const 32) (i32.const 200) (i32.const 69) (i32.const 4)
          (i32.const 110) (i32.const 4) (i32.const 120) (i32.const 5) (i64.const 100000)))
      (func (export "onOk")) (func (export "onErr")))`);
    hook.setAccount(A, { code: two });
    hook.setAccount(B, { code: await relay('relay', FAR, 'doIt', 'B', 100_000) });
    const out = vm.runSmartContractCall(callInput(A, 'run', { GasProvided: 5_000_000n }));
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(accountData(out)).toEqual({ 'far-away': 'doIt', 'far-away-2': 'pong' });
    expect(pendingDestinations(out, A)).toEqual(['contractB', 'far-away-2']);
  });

  it('A → B → C (same shard) → FAR: only FAR receives a call', async () => {
    const { hook, vm } = newHost();
    hook.setAccount(A, { code: await relay('run', B, 'relay', 'A', 3_000_000) });
    hook.setAccount(B, { code: await relay('relay', C, 'relay', 'B', 1_000_000) });
    hook.setAccount(C, { code: await relay('relay', FAR, 'doIt', 'C', 100_000) });
    const out = vm.runSmartContractCall(callInput(A, 'run', { GasProvided: 5_000_000n }));
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(accountData(out)).toEqual({ 'far-away': 'doIt' });
    expect([A, B, C].map((owner) => pendingDestinations(out, owner))).toEqual([
      ['contractB'],
      ['contractC'],
      ['far-away'],
    ]);
  });
});
