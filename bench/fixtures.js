// What the stack benchmarks share: the reference's test gas schedule, accounts and call inputs of the in-memory
// world, and a bare Node.js start (the restart rows' baseline). Plain values only, so a script timing another
// checkout's build (restart.js) passes that build's GAS_SECTION_KEYS.
const { spawn } = require('node:child_process');

/** The reference's test schedule (every cost 1, AsyncCallbackGasLock 100000) over `gasSectionKeys`. */
function testGasScheduleMap(gasSectionKeys) {
  const map = Object.fromEntries(
    Object.entries(gasSectionKeys).map(([s, keys]) => [s, Object.fromEntries(keys.map((k) => [k, 1n]))]),
  );
  map.Kalyan3104APICost.AsyncCallbackGasLock = 100000n;
  return map;
}

/** A MemoryWorld account with nothing but `fields`. */
const account = (address, fields) => ({
  address,
  nonce: 0n,
  balance: 0n,
  storage: new Map(),
  code: new Uint8Array(0),
  asyncCallData: '',
  owner: new Uint8Array(0),
  ...fields,
});

/** A direct call of `fn` on `to` with ample gas. */
const callInput = (to, fn, args, from) => ({
  CallerAddr: from,
  Arguments: args,
  CallValue: 0n,
  CallType: 0,
  GasPrice: 1n,
  GasProvided: 10_000_000n,
  OriginalTxHash: null,
  CurrentTxHash: null,
  RecipientAddr: to,
  Function: fn,
});

/** ns from spawn to exit of a bare `node -e 0`. */
function bareNodeStart() {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(Number(process.hrtime.bigint() - start)));
  });
}

module.exports = { testGasScheduleMap, account, callInput, bareNodeStart };
