import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runScenario } from '@vm/host/scenario';

describe('[@vm/host] examples/scenarioSteps.js (the README example)', () => {
  it('executes steps one by one, dumps the world, and prints a recording that replays the same way', async () => {
    const out = execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'examples', 'scenarioSteps.js')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(out).toContain('echo: passed true, return code 0\n');
    expect(out).toMatch(/checkState: passed false: account \S+ \("owner_+"\) balance: expected 1, got 900000\n/);
    expect(out).toContain(`world state dump:\n{\n`);
    expect(out).toContain(
      `    "''owner___________________________": {\n        "nonce": "1",\n        "balance": "900000",`,
    );
    const recording = out.slice(out.indexOf('{\n    "name": "echo example"'));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'recording-')), 'echo.scen.json');
    writeFileSync(file, recording);
    const replay = await runScenario(file, { out: () => undefined });
    expect(replay.passed).toBe(false);
    expect(replay.message).toMatch(
      /echo\.scen\.json step 3 \(checkState\): state differs:\n {2}.*balance: expected 1, got 900000/,
    );
  });
});
