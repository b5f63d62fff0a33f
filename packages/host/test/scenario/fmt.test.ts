import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CLI = path.join(__dirname, '..', '..', 'bin', 'vm-scenario.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

/** A hand-written scenario: two-space indentation, keys on one line. */
const HAND_WRITTEN = `{ "name": "transfer",
  "steps": [ { "step": "setState", "accounts": { "address:a": { "nonce": "0", "balance": "1,000" } } },
    { "step": "checkState", "accounts": { "address:a": { "nonce": "0", "balance": "1000", "storage": {}, "code": "" } } } ] }
`;

describe('[@vm/host] vm-scenario fmt (the real executable)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fmt-'));
    file = path.join(dir, 'transfer.scen.json');
    writeFileSync(file, HAND_WRITTEN);
  });

  it('prints the file in the writer layout (4 spaces, one key per line), keeping every original value text', () => {
    const printed = run('fmt', file);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain('\n    "steps": [\n        {\n            "step": "setState",');
    expect(printed.stdout).toContain('"balance": "1,000"');
    expect(readFileSync(file, 'utf8')).toBe(HAND_WRITTEN); // printing never writes
  });

  it('--check names the files that would change and exits 1; --write rewrites them in place; then --check is clean', () => {
    const check = run('fmt', '--check', dir);
    expect(check.status).toBe(1);
    expect(check.stdout.trim()).toBe(file);
    expect(check.stderr).toContain('1 of 1 files are not formatted');
    expect(run('fmt', '--write', dir).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(run('fmt', file).stdout);
    expect(readdirSync(dir)).toEqual(['transfer.scen.json']); // no temporary file left behind
    expect(run('fmt', '--check', dir)).toMatchObject({ status: 0, stdout: '' });
    expect(run(file).stdout).toContain('1 passed, 0 failed'); // the rewritten file runs
  });

  it('a malformed file is reported on stderr with its line and column (exit 2), an empty directory too', () => {
    writeFileSync(file, '{ "steps": [ }');
    const broken = run('fmt', '--check', file);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/transfer\.scen\.json: invalid JSON at line 1, column \d+/);
    const empty = mkdtempSync(path.join(tmpdir(), 'fmt-empty-'));
    expect(run('fmt', empty)).toMatchObject({ status: 2, stderr: expect.stringContaining('no scenario files') });
  });

  it('--help exits 0 and names the flags', () => {
    const help = run('fmt', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--check[\s\S]*--write/);
  });
});
