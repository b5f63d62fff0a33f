import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canonicalOutput, firstDifference } from '@vm/host/fuzz';
import { ReturnCode, type OutputAccount, type VMOutput } from '@vm/protocol';
import { describeWithConformance } from '@vm/testkit';
import { runBin } from '@vm/testkit/host';

const account = (address: number, keys: number[]): OutputAccount => ({
  Address: new Uint8Array(32).fill(address),
  Nonce: 0n,
  Balance: null,
  BalanceDelta: 0n,
  StorageUpdates: keys.map((k) => ({ Offset: Uint8Array.of(k), Data: Uint8Array.of(k, k) })),
  Code: null,
  CodeMetadata: null,
  Data: null,
  GasLimit: 0n,
  CallType: 0,
});
const output = (accounts: OutputAccount[], gas = 5n): VMOutput => ({
  ReturnData: [Uint8Array.of(1)],
  ReturnCode: ReturnCode.Ok,
  ReturnMessage: '',
  GasRemaining: gas,
  GasRefund: 0n,
  OutputAccounts: accounts,
  DeletedAccounts: [],
  TouchedAccounts: [],
  Logs: [],
});

describe('[@vm/host] vm-fuzz differential comparison', () => {
  it('output accounts and storage updates compare as the maps they are; any other difference is named by its path', () => {
    const a = canonicalOutput(output([account(1, [1, 2]), account(2, [])]));
    const b = canonicalOutput(output([account(2, []), account(1, [2, 1])]));
    expect(firstDifference(a, b)).toBeUndefined();
    expect(firstDifference(a, canonicalOutput(output([account(1, [1, 2]), account(2, [])], 6n)), 'VMOutput')).toBe(
      'VMOutput.GasRemaining: "5n" vs "6n"',
    );
    expect(firstDifference(a, canonicalOutput(output([account(1, [1, 3]), account(2, [])])))).toBe(
      '$.OutputAccounts[0].StorageUpdates[1].Data: "0x0202" vs "0x0303"',
    );
    expect(firstDifference(a, canonicalOutput(null))).toMatch(/^\$: \{"DeletedAccounts".*… vs null$/);
  });
});

describeWithConformance('[@vm/host] vm-fuzz --processes (built executable)', () => {
  it('one seed in process and through VMDriver with both marshalizers: the lanes agree at every step', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'fuzz-diff-'));
    const r = runBin('vm-fuzz', ['erc20', '--seed', '5', '--steps', '100', '--out', out, '--processes']);
    expect(r.out).toContain('run 1 seed 5: the 3 lanes agree at every step');
    expect(r.code).toBe(0);
    for (const lane of ['in process', 'VMDriver JSON', 'VMDriver Binary'])
      expect(r.out).toMatch(new RegExp(`run 1 seed 5 ${lane}: held: 100 events`));
    const replay = (name: string) => readFileSync(path.join(out, name), 'utf8');
    expect(replay('erc20-seed5.VMDriver-JSON.scen.json')).toBe(replay('erc20-seed5.scen.json'));
    expect(replay('erc20-seed5.VMDriver-Binary.scen.json')).toBe(replay('erc20-seed5.scen.json'));
  });
});
