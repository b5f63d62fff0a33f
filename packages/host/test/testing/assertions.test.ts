import {
  assertAccount,
  biguint,
  createTestWorld,
  expectFailure,
  str,
  TestAssertionError,
  TestInputError,
  TxFailure,
} from '@vm/host/testing';
import { ReturnCode } from '@vm/protocol';
import { ADDER_WASM } from './contracts';

const setup = () => {
  const world = createTestWorld();
  const owner = world.createAccount({ balance: 100n });
  const adder = world.deploy({ from: owner, code: ADDER_WASM, args: [biguint(12n)] });
  const noArgument = () => adder.call({ from: owner, function: 'add' });
  return { world, owner, adder, noArgument };
};

describe('[@vm/host] expectFailure', () => {
  it('returns the TxFailure when code (number or name) and message (text or pattern) match', () => {
    const { noArgument } = setup();
    const failure = expectFailure(noArgument, { code: 'UserError', message: 'wrong number of arguments' });
    expect(failure).toBeInstanceOf(TxFailure);
    expect(failure.returnCode).toBe(ReturnCode.UserError);
    expect(expectFailure(noArgument, { code: 4, message: /number of/ }).returnCodeName).toBe('UserError');
    expect(expectFailure(noArgument).returnMessage).toBe('wrong number of arguments');
  });

  it('names what differs', () => {
    const { noArgument } = setup();
    expect(() => expectFailure(noArgument, { code: 'OutOfGas' })).toThrow(TestAssertionError);
    let error: unknown;
    try {
      expectFailure(noArgument, { code: 'OutOfGas', message: 'wrong' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TestAssertionError);
    expect((error as Error).message).toMatch(
      /^call add\(\) from \S+ to \S+ failed differently:\n {2}return code: expected 5 \(out of gas\), got 4 \(user error\)\n {2}message: expected "wrong", got "wrong number of arguments"$/,
    );
    expect((error as Error).cause).toBeInstanceOf(TxFailure);
  });

  it('fails when the transaction succeeds, or when something else is thrown', () => {
    const { owner, adder } = setup();
    expect(() => expectFailure(() => adder.call({ from: owner, function: 'add', args: [biguint(1n)] }))).toThrow(
      /^expected a failing transaction, but call add\(0x01\) from \S+ to \S+ succeeded$/,
    );
    expect(() => expectFailure(() => 42)).toThrow('expected a failing transaction, but the action succeeded');
    expect(() => expectFailure(() => adder.call({ from: owner, function: 'add', args: [5n as never] }))).toThrow(
      /^expected a failing transaction, got another error: TestInputError: call: args\[0\]: expected encoded bytes/,
    );
  });

  it('takes a promise, or a function returning one, and resolves to the TxFailure', async () => {
    const { noArgument } = setup();
    const rejected = new Promise((_resolve, reject) => {
      try {
        noArgument();
      } catch (error) {
        reject(error);
      }
    });
    await expect(expectFailure(rejected, { code: 'UserError' })).resolves.toBeInstanceOf(TxFailure);
    await expect(expectFailure(async () => noArgument(), { code: 'UserError' })).resolves.toBeInstanceOf(TxFailure);
    await expect(expectFailure(Promise.resolve(1))).rejects.toThrow(TestAssertionError);
    await expect(expectFailure(async () => noArgument(), { code: 'OutOfGas' })).rejects.toThrow(
      /return code: expected 5 \(out of gas\), got 4 \(user error\)/,
    );
  });

  it('checks its own arguments', () => {
    const { noArgument } = setup();
    expect(() => expectFailure(noArgument, { code: 'Oops' as never })).toThrow(TestInputError);
    expect(() => expectFailure(noArgument, { code: 'Oops' as never })).toThrow(
      /^expectFailure: code: not a return code: the string "Oops" \(one of 0\.\.11 or Ok, FunctionNotFound, /,
    );
    expect(() => expectFailure(noArgument, { messages: 'x' } as never)).toThrow(
      'expectFailure: unknown field messages',
    );
    expect(() => expectFailure(42 as never)).toThrow(
      'expectFailure: expected a function or a promise, got the number 42',
    );
  });
});

describe('[@vm/host] assertAccount', () => {
  it('passes when the given fields match', () => {
    const { world, owner, adder } = setup();
    assertAccount(world, owner, { balance: 100n, nonce: 1n });
    assertAccount(world, adder, { storage: { sum: biguint(12n) }, code: ADDER_WASM, balance: 0n });
    assertAccount(world, adder.address, { storage: { sum: biguint(12n), other: biguint(0n) } }); // empty = absent
    assertAccount(world, adder.toString(), {});
  });

  it('shows a line diff of what differs', () => {
    const { world, owner, adder } = setup();
    expect(() => assertAccount(world, owner, { balance: 99n, nonce: 1n })).toThrow(
      /^account 0x[0-9a-f]{8}…[0-9a-f]{8} differs \(- expected, \+ actual\):\n- balance: 99\n\+ balance: 100\n {2}nonce: 1$/,
    );
    let message = '';
    try {
      assertAccount(world, adder, { storage: { sum: biguint(13n), name: str('adder') }, code: new Uint8Array(0) });
    } catch (error) {
      expect(error).toBeInstanceOf(TestAssertionError);
      message = (error as Error).message;
    }
    expect(message.split('\n').slice(1)).toEqual([
      '- storage "name": 0x6164646572 ("adder")',
      '- storage "sum": 0x0d (13)',
      '- code: none',
      '+ storage "sum": 0x0c (12)',
      expect.stringMatching(/^\+ code: 436 bytes, sha256 [0-9a-f]{16}…$/),
    ]);
  });

  it('binary keys in hex; a missing account; bad expectations', () => {
    const { world, adder } = setup();
    assertAccount(world, adder, { storage: { '0x73756d': biguint(12n) } });
    expect(() => assertAccount(world, Buffer.alloc(32, 3), {})).toThrow(
      'assertAccount: no account 0x03030303…03030303',
    );
    expect(() => assertAccount(world, adder, { balance: 1 as never })).toThrow(
      new TestInputError('assertAccount: balance: expected a bigint, got the number 1 (write 1n)'),
    );
    expect(() => assertAccount(world, adder, { storage: { sum: 12n as never } })).toThrow(
      "assertAccount: storage.sum: expected bytes (e.g. biguint(12n), str('x')), got the bigint 12n",
    );
    expect(() => assertAccount(world, adder, { storage: { '0xzz': biguint(1n) } })).toThrow(TestInputError);
  });
});
