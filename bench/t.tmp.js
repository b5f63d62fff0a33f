const { runScenario, findScenarios } = require('@vm/host');
(async () => {
  const root = '/work/shared/conformance/test';
  let pass = 0, fail = 0; const fails = [];
  const t = Date.now();
  for (const f of findScenarios(root)) { const r = await runScenario(f); if (r.passed) pass++; else { fail++; fails.push(r); } }
  console.log(pass, 'passed', fail, 'failed', Date.now() - t, 'ms');
  for (const r of fails) console.log('FAIL', r.path.replace(root + '/', ''), '\n   ', (r.message || '').split('\n').slice(0, 3).join('\n    '));
})();
