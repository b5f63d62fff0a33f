const { runScenario, findScenarios } = require('@vm/host');
(async () => {
  let pass = 0, fail = 0;
  for (const f of findScenarios('/work/shared/conformance/test/erc20')) { const r = await runScenario(f, { replacements: new Map([['contracts/simple-coin.wasm', '../erc20/contracts/erc20-c.wasm']]) }); if (r.passed) pass++; else { fail++; console.log(r.message); } }
  console.log(pass, fail);
})();
