import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFORMANCE_DIR, describeWithConformance } from '@vm/testkit';

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

describeWithConformance('[@vm/host] examples against the reference suite', () => {
  it("dnsTestGenerator.js prints the suite's dns_init.steps.json byte for byte (256 new addresses, 256 deploys)", () => {
    const out = execFileSync(process.execPath, [path.join(__dirname, '..', 'examples', 'dnsTestGenerator.js')], {
      encoding: 'utf8',
      timeout: 30000,
    });
    const expected = readFileSync(path.join(CONFORMANCE_DIR!, 'test', 'dns', 'dns_init.steps.json'), 'utf8');
    expect(out.length).toBe(expected.length);
    expect(out === expected).toBe(true);
  });
});
