import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findScenarios, parseScenario, runScenario, writeScenario } from '@vm/host/scenario';
import { CONFORMANCE_DIR, describeWithConformance } from '@vm/testkit';

/** Every file below `dir`, relative to it. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) =>
      statSync(path.join(dir, entry)).isDirectory()
        ? walk(path.join(dir, entry), path.join(prefix, entry))
        : [path.join(prefix, entry)],
    );
}

const isScenarioJson = (f: string) => f.endsWith('.scen.json') || f.endsWith('.steps.json');

// The reference's suite, read and written back: files its own writer produced come back byte for byte; the
// hand-written ones come back as the same model, and run with exactly the same results.
describeWithConformance('[@vm/host] scenario writer round trip over the conformance suite', () => {
  const root = path.join(CONFORMANCE_DIR ?? '', 'test');
  const files = CONFORMANCE_DIR ? walk(root).filter(isScenarioJson) : [];
  const written = new Map<string, string>();

  it('covers the 94 scenarios and 15 steps files', () => {
    expect(files.filter((f) => f.endsWith('.scen.json'))).toHaveLength(94);
    expect(files.filter((f) => f.endsWith('.steps.json'))).toHaveLength(15);
  });

  it.each(['dns/dns_init.steps.json', 'delegation_v0.3/fuzz_gen_unstake.scen.json'])(
    '%s (written by the reference writer) comes back byte-identical',
    (name) => {
      const file = path.join(root, name);
      const text = readFileSync(file, 'utf8');
      const notes: string[] = [];
      const out = writeScenario(parseScenario(text, { file }), { notes });
      expect(notes).toEqual([]);
      expect(out.length).toBe(text.length);
      expect(out === text).toBe(true);
    },
  );

  it.each(files.map((f) => [f]))('%s: parse(write(parse(x))) equals parse(x)', (name) => {
    const file = path.join(root, name);
    const first = parseScenario(readFileSync(file, 'utf8'), { file });
    const notes: string[] = [];
    const text = writeScenario(first, { notes });
    expect(notes).toEqual([]);
    const again = parseScenario(text, { file });
    expect(again).toEqual(first);
    expect(writeScenario(again)).toBe(text);
    written.set(name, text);
  });

  describe('the written files run exactly as the originals', () => {
    // A mirror of the suite: every scenario and steps file as written, every other file a link to the original.
    let mirror: string;
    beforeAll(() => {
      mirror = mkdtempSync(path.join(tmpdir(), 'written-suite-'));
      for (const name of walk(root)) {
        mkdirSync(path.dirname(path.join(mirror, name)), { recursive: true });
        if (isScenarioJson(name)) writeFileSync(path.join(mirror, name), written.get(name) ?? '');
        else symlinkSync(path.join(root, name), path.join(mirror, name));
      }
    });

    const scenarios = CONFORMANCE_DIR ? findScenarios(root).map((f) => path.relative(root, f)) : [];
    it.each(scenarios.map((f) => [f]))('%s', async (name) => {
      expect(written.has(name)).toBe(true);
      const original = await runScenario(path.join(root, name));
      const rewritten = await runScenario(path.join(mirror, name));
      expect(rewritten.passed).toBe(original.passed);
      expect(rewritten.message?.split(mirror).join(root)).toBe(original.message);
      expect(original.passed).toBe(true);
    });
  });
});
