import { ReturnCode, type VMOutput } from '@vm/protocol';
import { describeWithConformance, referenceContract, callInput } from '@vm/testkit';
import { newHost } from '@vm/testkit/host';

// The reference's nested-call tests (anchor-host.md §7.1): contracts address each other by 32-byte names padded with '.'.
const addr = (name: string) => Buffer.from(name.padEnd(32, '.'));
const PARENT = addr('parentSC');
const GAS = 1_000_000n;

function run(kind: 'same' | 'dest', fn: string, args: Uint8Array[] = []) {
  const { hook, vm } = newHost();
  const parent = referenceContract(`exec-${kind}-ctx-parent`);
  const child = referenceContract(`exec-${kind}-ctx-child`);
  hook.setAccount(PARENT, { code: parent, balance: 1000n });
  hook.setAccount(addr('childSC'), { code: child, balance: 1000n });
  const out = vm.runSmartContractCall(
    callInput(PARENT, fn, { CallerAddr: addr('user'), GasProvided: GAS, Arguments: args }),
  );
  return { out, used: GAS - out.GasRemaining - BigInt(parent.length), childLength: BigInt(child.length) };
}

const texts = (out: VMOutput) => out.ReturnData!.map((d) => Buffer.from(d!).toString('latin1'));
const account = (out: VMOutput, name: string) =>
  out.OutputAccounts!.find((a) => Buffer.from(a.Address!).equals(addr(name)))!;
const storageOf = (out: VMOutput, name: string) =>
  Object.fromEntries(
    account(out, name).StorageUpdates!.map((u) => [
      Buffer.from(u.Offset!).toString().replace(/\.+$/, ''),
      Buffer.from(u.Data!).toString('latin1'),
    ]),
  );

describeWithConformance('[@vm/host] nested synchronous calls (reference contracts)', () => {
  it.each(['same', 'dest'] as const)('%s-context parentFunctionPrepare costs exactly 137', (kind) => {
    const { out, used } = run(kind, 'parentFunctionPrepare');
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(used).toBe(137n);
    expect(texts(out)).toEqual(['parentFinishA', 'parentFinishB', 'succ']);
  });

  it('same-context call to a missing contract: 182 + 39 + the 50000 passed (lost) + 44, and "fail"', () => {
    const { out, used } = run('same', 'parentFunctionWrongCall');
    expect(used).toBe(182n + 39n + 50000n + 44n);
    expect(texts(out).at(-1)).toBe('fail');
  });

  it('same-context child: its storage lands in the parent, value 99 in and 96 out, exact gas 197 + 39 + compile + 431 + 139', () => {
    const { out, used, childLength } = run('same', 'parentFunctionChildCall');
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(used).toBe(197n + 39n + childLength + 431n + 139n);
    expect(account(out, 'childSC').BalanceDelta).toBe(3n);
    expect(account(out, 'parentSC').BalanceDelta).toBe(-141n);
    expect(account(out, 'childTransferReceiver').BalanceDelta).toBe(96n);
    expect(Object.keys(storageOf(out, 'parentSC'))).toContain('childKey');
    expect(texts(out)).toContain('childFinish');
  });

  it('dest-context child: its storage lands in the child account; 99 in, 12 out with "Second sentence."', () => {
    const { out } = run('dest', 'parentFunctionChildCall');
    expect(out.ReturnCode).toBe(ReturnCode.Ok);
    expect(account(out, 'childSC').BalanceDelta).toBe(87n);
    expect(storageOf(out, 'childSC')).toHaveProperty('childKey');
    const receiver = account(out, 'childTransferReceiver');
    expect(receiver.BalanceDelta).toBe(12n);
    expect(Buffer.from(receiver.Data!).toString()).toBe('Second sentence.');
  });

  it.each(['same', 'dest'] as const)(
    '%s-context: a child out of gas is reverted, the parent continues with "fail"',
    (kind) => {
      const { out } = run(kind, 'parentFunctionChildCall_OutOfGas');
      expect(out.ReturnCode).toBe(ReturnCode.Ok);
      expect(texts(out)).toEqual(['parentFinishA', 'fail']);
      expect(account(out, 'parentSC').BalanceDelta).toBe(0n);
    },
  );

  it.each(['same', 'dest'] as const)('%s-context big integers: "child ok"', (kind) => {
    const { out } = run(kind, 'parentFunctionChildCall_BigInts');
    expect(texts(out)[0]).toBe('child ok');
  });

  describe.each(['same', 'dest'] as const)('%s-context recursion', (kind) => {
    function recurse(depth: number) {
      const { hook, vm } = newHost();
      hook.setAccount(PARENT, { code: referenceContract(`exec-${kind}-ctx-recursive`), balance: 1000n });
      return vm.runSmartContractCall(
        callInput(PARENT, 'callRecursive', { Arguments: [Uint8Array.of(depth)], GasProvided: GAS }),
      );
    }

    it('depth 5 succeeds at every level', () => {
      const out = recurse(5);
      expect(out.ReturnCode).toBe(ReturnCode.Ok);
      const storage = storageOf(out, 'parentSC');
      for (let i = 0; i <= 5; i++) expect(storage[`Rkey00${i}`]).toBe(`Rvalue00${i}`);
      expect(storage.recursiveIterationCounter).toBe('\x06');
      // the big-integer counter is shared in the same context, fresh at each level in the destination context
      expect(storage.recursiveIterationBigCounter).toBe(kind === 'same' ? '\x06' : '\x01');
    });

    it('depth 11 hits the instance limit: only the top level remains, plus "fail"', () => {
      const out = recurse(11);
      expect(out.ReturnCode).toBe(ReturnCode.Ok);
      expect(texts(out)).toEqual(['Rfinish011', 'fail']);
      expect(Object.keys(storageOf(out, 'parentSC')).sort()).toEqual(['Rkey011', 'recursiveIterationCounter']);
    });
  });
});
