const fs = require('fs');
const { VMDriver } = require('@vm/driver');
const { FakeBlockchainHook } = require('@vm/testkit');
const { GAS_SECTION_KEYS } = require('@vm/host');
const map = {}; for (const [s, keys] of Object.entries(GAS_SECTION_KEYS)) map[s] = Object.fromEntries(keys.map(k => [k, 1n])); map.Kalyan3104APICost.AsyncCallbackGasLock = 100000n;
(async () => {
  const hook = new FakeBlockchainHook();
  const counter = Buffer.from('counter'.padEnd(32, '_'));
  hook.setAccount(counter, { code: fs.readFileSync('/work/shared/conformance/test/contracts/counter/output/counter.wasm') });
  const driver = new VMDriver({ blockchainHook: hook, gasSchedule: map, maxLoopTimeMs: 1000 });
  const input = { CallerAddr: Buffer.alloc(32, 1), Arguments: [], CallValue: 0n, CallType: 0, GasPrice: 0n, GasProvided: 100000n, OriginalTxHash: null, CurrentTxHash: null };
  let t = performance.now();
  const out = await driver.runSmartContractCall({ ...input, RecipientAddr: counter, Function: 'increment' });
  console.log('first', out.ReturnCode, out.GasRemaining, (performance.now() - t).toFixed(1), 'ms');
  t = performance.now();
  for (let i = 0; i < 1000; i++) await driver.runSmartContractCall({ ...input, RecipientAddr: counter, Function: 'increment' });
  console.log('per call', ((performance.now() - t) / 1000).toFixed(3), 'ms');
  await driver.diagnoseWait(100);
  try { await driver.diagnoseWait(5000); } catch (e) { console.log('timeout:', e.code, e.message, e.critical, driver.isClosed()); }
  await driver.close();
  console.log('closed', driver.isClosed());
})();
