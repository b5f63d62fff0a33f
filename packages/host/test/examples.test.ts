import { execFileSync } from 'node:child_process';
import path from 'node:path';

describe('[@vm/host] examples', () => {
  it('counter.js deploys and increments a counter', () => {
    const out = execFileSync(process.execPath, [path.join(__dirname, '..', 'examples', 'counter.js')], {
      encoding: 'utf8',
      timeout: 30000,
    });
    expect(out).toMatch(/deployed at [0-9a-f]{64}: return code 0/);
    expect(out).toMatch(/increment: return code 0, counter 2, gas left \d+/);
  });
});
