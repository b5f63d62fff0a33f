import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { conformanceFile, describeWithConformance } from '@vm/testkit';

const example = path.join(__dirname, '..', '..', 'examples', 'dnsTestGenerator.js');

describeWithConformance('[@vm/host] examples/dnsTestGenerator.js', () => {
  const committed = () => readFileSync(conformanceFile('test', 'dns', 'dns_init.steps.json'), 'utf8');
  const run = (...args: string[]) =>
    execFileSync(process.execPath, [example, conformanceFile('test', 'dns', 'dns.wasm'), ...args], {
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it("prints the suite's dns_init.steps.json byte for byte: 256 shard addresses, 256 deploys", () => {
    const out = run();
    expect(out.length).toBe(committed().length);
    expect(out === committed()).toBe(true);
    const steps = JSON.parse(out).steps;
    expect(steps[0].newAddresses).toHaveLength(256);
    expect(steps.filter((s: { step: string }) => s.step === 'scDeploy')).toHaveLength(256);
  });

  it('--execute runs every step on an in-memory world and still prints the same file', () => {
    expect(run('--execute') === committed()).toBe(true);
  });
});
