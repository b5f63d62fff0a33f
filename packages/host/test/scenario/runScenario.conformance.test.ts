import path from 'node:path';
import { findScenarios, runScenario } from '@vm/host/scenario';
import { CONFORMANCE_DIR, describeWithConformance } from '@vm/testkit';

// The reference VM's own scenario suite, run as the reference runs it: every file on a fresh world, then erc20
// again with erc20-c.wasm in place of simple-coin.wasm.
describeWithConformance('[@vm/host] conformance suite (../shared/conformance)', () => {
  const root = path.join(CONFORMANCE_DIR ?? '', 'test');
  const files = CONFORMANCE_DIR ? findScenarios(root) : [];

  it('has the 94 scenario files', () => expect(files).toHaveLength(94));

  it.each(files.map((f) => [path.relative(root, f), f]))('%s', async (_name, file) => {
    const result = await runScenario(file);
    expect(result.message).toBeUndefined();
    expect(result.passed).toBe(true);
  });

  it.each(files.filter((f) => f.includes(`${path.sep}erc20${path.sep}`)).map((f) => [path.relative(root, f), f]))(
    '%s with erc20-c.wasm',
    async (_name, file) => {
      const result = await runScenario(file, {
        replacements: new Map([['contracts/simple-coin.wasm', 'erc20/contracts/erc20-c.wasm']]),
      });
      expect(result.message).toBeUndefined();
      expect(result.passed).toBe(true);
    },
  );
});
