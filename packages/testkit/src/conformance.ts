import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The reference's conformance suite, next to the repository (`../shared/conformance`), or undefined when absent. */
export const CONFORMANCE_DIR: string | undefined = (() => {
  const dir = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'conformance');
  return existsSync(dir) ? dir : undefined;
})();

export const CONFORMANCE_ABSENT_MESSAGE =
  'skipped: the conformance suite (../shared/conformance) is not present next to the repository';

/** A reference unit-test contract: test/contracts/<name>/output/<name>.wasm. */
export function referenceContract(name: string): Uint8Array {
  if (!CONFORMANCE_DIR) throw new Error(CONFORMANCE_ABSENT_MESSAGE);
  return new Uint8Array(readFileSync(path.join(CONFORMANCE_DIR, 'test', 'contracts', name, 'output', `${name}.wasm`)));
}

export function conformanceFile(...parts: string[]): string {
  if (!CONFORMANCE_DIR) throw new Error(CONFORMANCE_ABSENT_MESSAGE);
  return path.join(CONFORMANCE_DIR, ...parts);
}

/** `describe`, or a describe that says why it skipped when the suite is absent. */
export function describeWithConformance(name: string, body: () => void): void {
  if (CONFORMANCE_DIR) describe(name, body);
  else describe(name, () => it(CONFORMANCE_ABSENT_MESSAGE, () => expect(CONFORMANCE_DIR).toBeUndefined()));
}
