// The adder contract's test (adder.wat): run it with `node --test examples/` (Node's own runner; any runner works).
const { test } = require('node:test');
const assert = require('node:assert');
const { createTestWorld, biguint, expectFailure, assertAccount } = require('@vm/host/testing');

test('the adder adds', () => {
  const world = createTestWorld();
  const owner = world.createAccount({ balance: 1_000n });
  const adder = world.deploy({ from: owner, code: `${__dirname}/adder.wasm`, args: [biguint(5n)] });
  adder.call({ from: owner, function: 'add', args: [biguint(7n)] });
  assert.deepStrictEqual(adder.query({ function: 'getSum' }).decode(biguint), [12n]);
  assertAccount(world, adder, { storage: { sum: biguint(12n) } });
  expectFailure(() => adder.call({ from: owner, function: 'add' }), { message: 'wrong number of arguments' });
});
