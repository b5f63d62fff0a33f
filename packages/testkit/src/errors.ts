/** Error expectations: what a promise rejected with, checked to be the project's typed error. */
import { VMError, type ErrorDefinition } from '@vm/protocol';

/** The VMError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<VMError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof VMError)) throw new Error(`expected a VMError, got ${String(error)}`);
  return error;
}

/** The promise rejects with a VMError of this definition's code and criticality, its message matching `text`. */
export async function expectRejects(promise: Promise<unknown>, definition: ErrorDefinition, text?: RegExp) {
  const error = await rejection(promise);
  expect({ code: error.code, critical: error.critical }).toEqual({
    code: definition.code,
    critical: definition.critical,
  });
  if (text) expect(error.message).toMatch(text);
}
