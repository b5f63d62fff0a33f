import { readFileSync } from 'node:fs';
import {
  address,
  biguint,
  createTestWorld,
  expectFailure,
  TestInputError,
  TxFailure,
  u64,
  DEFAULT_GAS_LIMIT,
} from '@vm/host/testing';
import { ReturnCode } from '@vm/protocol';
import { ADDER_WASM, probe } from './contracts';

describe('[@vm/host] test world', () => {
  const deployAdder = (initial = 5n, gasPrice?: bigint) => {
    const world = createTestWorld(gasPrice === undefined ? {} : { gasPrice });
    const owner = world.createAccount({ balance: 10_000_000_000n });
    const adder = world.deploy({ from: owner, code: ADDER_WASM, args: [biguint(initial)] });
    return { world, owner, adder };
  };

  it('deploys, calls and queries; the world applies outputs and uses nonces', () => {
    const { owner, adder } = deployAdder(5n);
    expect(adder.deployment.transaction.kind).toBe('deploy');
    expect(Buffer.from(adder.storage('sum'))).toEqual(Buffer.of(5));
    const added = adder.call({ from: owner, function: 'add', args: [biguint(300n)] });
    expect(added.returnData).toEqual([]);
    expect(added.gasUsed).toBeGreaterThan(0n);
    expect(adder.query({ function: 'getSum' }).decode(biguint)).toEqual([305n]);
    expect(owner.nonce).toBe(2n);
  });

  it('a query applies nothing and uses no nonce', () => {
    const { owner, adder } = deployAdder(5n);
    const result = adder.query({ function: 'add', args: [biguint(1n)], from: owner });
    expect(result.transaction.kind).toBe('query');
    expect(Buffer.from(adder.storage('sum'))).toEqual(Buffer.of(5));
    expect(owner.nonce).toBe(1n);
  });

  it('a failed call throws TxFailure with the code, its name, the message, the gas and the transaction', () => {
    const { owner, adder } = deployAdder(5n);
    let failure: unknown;
    try {
      adder.call({ from: owner, function: 'add', args: [], gasLimit: 50_000n });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(TxFailure);
    const f = failure as TxFailure;
    expect(f.returnCode).toBe(ReturnCode.UserError);
    expect(f.returnCodeName).toBe('UserError');
    expect(f.returnMessage).toBe('wrong number of arguments');
    expect(f.gasUsed).toBe(50_000n); // a user error burns all the gas
    expect(f.transaction).toMatchObject({ kind: 'call', function: 'add', args: [], gasLimit: 50_000n });
    expect(f.message).toMatch(
      /^call add\(\) from 0x[0-9a-f]{8}…[0-9a-f]{8} to 0x[0-9a-f]{8}…[0-9a-f]{8} failed: 4 \(user error\) "wrong number of arguments", gas used 50000$/,
    );
    // nothing applied, but the nonce is used
    expect(Buffer.from(adder.storage('sum'))).toEqual(Buffer.of(5));
    expect(owner.nonce).toBe(2n);
  });

  it('a missing function is FunctionNotFound, a missing contract ContractNotFound', () => {
    const { world, owner, adder } = deployAdder();
    expectFailure(() => adder.call({ from: owner, function: 'nope' }), { code: 'FunctionNotFound' });
    const nobody = world.createAccount();
    expectFailure(() => world.call({ from: owner, to: nobody, function: 'add' }), {
      code: ReturnCode.ContractNotFound,
    });
  });

  it('the sender pays the gas used times the gas price, and the value', () => {
    const { owner, adder } = deployAdder(5n, 2n);
    const before = owner.balance;
    const added = adder.call({ from: owner, function: 'add', args: [biguint(1n)] });
    expect(owner.balance).toBe(before - added.gasUsed * 2n);
    const failed = expectFailure(() => adder.call({ from: owner, function: 'add', gasLimit: 1000n }));
    expect(owner.balance).toBe(before - added.gasUsed * 2n - failed.gasUsed * 2n);
  });

  it('a sender that cannot pay value and gas is refused with OutOfFunds before anything runs', () => {
    const world = createTestWorld({ gasPrice: 1n });
    const poor = world.createAccount({ balance: 10n });
    const failure = expectFailure(() => world.deploy({ from: poor, code: ADDER_WASM, args: [biguint(1n)] }), {
      code: 'OutOfFunds',
      message: `insufficient funds: ${DEFAULT_GAS_LIMIT} needed, 10 held`,
    });
    expect(failure.gasUsed).toBe(0n);
    expect(poor.nonce).toBe(0n);
    expect(poor.balance).toBe(10n);
  });

  it('deploy and call values move balances; a contract paying the caller is applied', async () => {
    const world = createTestWorld();
    const owner = world.createAccount({ balance: 100n });
    const contract = world.deploy({ from: owner, code: await probe(), value: 30n });
    expect(contract.balance).toBe(30n);
    expect(owner.balance).toBe(70n);
    contract.call({ from: owner, function: 'pay', value: 1n });
    expect(contract.balance).toBe(30n + 1n - 5n);
    expect(owner.balance).toBe(70n - 1n + 5n);
    expect(contract.query({ function: 'caller', from: owner }).decode(address)).toEqual([owner.address]);
  });

  it('transfers values between accounts, creating the recipient', () => {
    const world = createTestWorld();
    const alice = world.createAccount({ balance: 10n });
    const bob = Buffer.alloc(32, 0xbb);
    world.transfer({ from: alice, to: bob, value: 4n });
    expect(world.getAccount(bob)?.balance).toBe(4n);
    expect(alice.balance).toBe(6n);
    expect(alice.nonce).toBe(1n);
    expectFailure(() => world.transfer({ from: alice, to: bob, value: 7n }), { code: 'OutOfFunds' });
    expect(alice.balance).toBe(6n);
  });

  it('block setters reach the contract; unset fields keep their values', async () => {
    const world = createTestWorld();
    const owner = world.createAccount();
    const contract = world.deploy({ from: owner, code: await probe() });
    world.setCurrentBlock({ timestamp: 1_700_000_000n, nonce: 42n, round: 43n, epoch: 7 });
    world.setPreviousBlock({ timestamp: 1_699_999_994n });
    world.setCurrentBlock({ nonce: 44n });
    expect(contract.query({ function: 'block' }).decode(u64, u64, u64, u64, u64)).toEqual([
      1_700_000_000n,
      44n,
      43n,
      7n,
      1_699_999_994n,
    ]);
  });

  it('takes code as bytes as well as a path, and a gas schedule as a file', () => {
    const world = createTestWorld();
    const owner = world.createAccount();
    const adder = world.deploy({ from: owner, code: readFileSync(ADDER_WASM), args: [biguint(1n)] });
    expect(world.getAccount(adder)?.code).toEqual(new Uint8Array(readFileSync(ADDER_WASM)));
    expect(() => createTestWorld({ gasSchedule: '/nonexistent/gas.toml' })).toThrow(/ENOENT/);
  });

  it('decode checks the number of values', () => {
    const { adder } = deployAdder(5n);
    expect(() => adder.query({ function: 'getSum' }).decode(biguint, biguint)).toThrow(
      /^query getSum\(\) from .* returned 1 value \(0x05\), 2 codecs given$/,
    );
  });

  it('processes: true without @vm/driver installed says how to install it', () => {
    jest.isolateModules(() => {
      jest.doMock('@vm/driver', () => {
        throw Object.assign(new Error("Cannot find module '@vm/driver' from 'world.ts'"), { code: 'MODULE_NOT_FOUND' });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy that sees the mock
      const host = require('@vm/host/testing') as typeof import('@vm/host/testing');
      expect(() => host.createTestWorld({ processes: true })).toThrow(
        new host.TestInputError(
          'createTestWorld: processes: true runs the VM through @vm/driver: npm install @vm/driver',
        ),
      );
    });
  });

  describe('input validation', () => {
    const { world, owner, adder } = deployAdder();
    const cases: [string, () => unknown, RegExp][] = [
      [
        'a 1-byte address',
        () => adder.call({ from: Uint8Array.of(1), function: 'add' }),
        /^call: from: an address has 32 bytes, got 1$/,
      ],
      [
        'a short hex address',
        () => world.createAccount({ address: '0xabcd' }),
        /^createAccount: address: an address has 32 bytes, got 2/,
      ],
      [
        'a number for a bigint',
        () => world.createAccount({ balance: 1000 as unknown as bigint }),
        /^createAccount: balance: expected a bigint, got the number 1000 \(write 1000n\)$/,
      ],
      [
        'a negative value',
        () => adder.call({ from: owner, function: 'add', value: -1n }),
        /^call: value: must not be negative, got -1n$/,
      ],
      ['a missing field', () => world.deploy({ from: owner } as never), /^deploy: code is missing$/],
      [
        'a misspelt field',
        () => adder.call({ from: owner, function: 'add', gaslimit: 5n } as never),
        /^call: unknown field gaslimit \(known: from, args, value, gasLimit, gasPrice, to, function\)$/,
      ],
      [
        'an unencoded argument',
        () => adder.call({ from: owner, function: 'add', args: [5n as never] }),
        /^call: args\[0\]: expected encoded bytes \(u64\(5n\), .*got the bigint 5n$/,
      ],
      [
        'an unknown sender',
        () => adder.call({ from: Buffer.alloc(32, 9), function: 'add' }),
        /^call: from 0x09090909…09090909 is not an account of this world \(createAccount\)$/,
      ],
      [
        'an unreadable code file',
        () => world.deploy({ from: owner, code: '/nonexistent.wasm' }),
        /^deploy: code: cannot read \/nonexistent\.wasm: ENOENT/,
      ],
      [
        'an existing account',
        () => world.createAccount({ address: owner }),
        /^createAccount: 0x[0-9a-f]{8}…[0-9a-f]{8} exists already$/,
      ],
      [
        'a bigint epoch',
        () => world.setCurrentBlock({ epoch: 1n as never }),
        /^setCurrentBlock: epoch: expected a whole number/,
      ],
      [
        'no options',
        () => world.deploy(undefined as never),
        /^deploy: expected an object with from, args, value, gasLimit, gasPrice, code, codeMetadata, got undefined$/,
      ],
      [
        'processes and a handler',
        () => createTestWorld({ processes: true, createHandler: () => null as never } as never),
        /give processes or createHandler, not both/,
      ],
    ];
    it.each(cases)('%s is a TestInputError', (_name, action, message) => {
      expect(action).toThrow(TestInputError);
      expect(action).toThrow(message);
    });
  });
});
