import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { wat } from '@vm/testkit';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

describe('[@vm/host] examples', () => {
  it('counter.js deploys and increments a counter', () => {
    const out = execFileSync(process.execPath, [path.join(EXAMPLES, 'counter.js')], {
      encoding: 'utf8',
      timeout: 30000,
    });
    expect(out).toMatch(/deployed at [0-9a-f]{64}: return code 0/);
    expect(out).toMatch(/increment: return code 0, counter 2, gas left \d+/);
  });

  it("adder.test.js (the README's contract test) passes under node --test", () => {
    const out = execFileSync(
      process.execPath,
      ['--test', '--test-reporter=tap', path.join(EXAMPLES, 'adder.test.js')],
      {
        encoding: 'utf8',
        timeout: 60000,
      },
    );
    expect(out).toMatch(/^ok 1 - the adder adds$/m);
    expect(out).toMatch(/^# pass 1$/m);
    expect(out).toMatch(/^# fail 0$/m);
  });

  it('adder.scen.json passes under vm-scenario', () => {
    const out = execFileSync(
      process.execPath,
      [path.join(EXAMPLES, '..', 'bin', 'vm-scenario.js'), path.join(EXAMPLES, 'adder.scen.json')],
      { encoding: 'utf8', timeout: 60000 },
    );
    expect(out.trim().split('\n').at(-1)).toBe('1 passed, 0 failed');
  });

  it('the README shows adder.test.js as it is', () => {
    const readme = readFileSync(path.join(EXAMPLES, '..', 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`js\n${readFileSync(path.join(EXAMPLES, 'adder.test.js'), 'utf8')}\`\`\``);
  });

  it("adder.test.js's test is at most 12 lines", () => {
    const code = readFileSync(path.join(EXAMPLES, 'adder.test.js'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.trim().startsWith('//'));
    expect(code.length).toBeLessThanOrEqual(12);
  });

  it.each(['adder', 'counter'])('%s.wasm is its .wat compiled', async (name) => {
    const compiled = await wat(readFileSync(path.join(EXAMPLES, `${name}.wat`), 'utf8'));
    expect(Buffer.from(compiled).equals(readFileSync(path.join(EXAMPLES, `${name}.wasm`)))).toBe(true);
  });
});
