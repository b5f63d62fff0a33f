import { EEI_ROWS } from '@vm/host';
import { row } from '../../src/eei/table';

// Each host function's implementation is typed by its row's signature string ('i' = i32 → number, 'I' = i64 →
// bigint): a mismatch is a compile error (ts-jest type-checks this file, so an unused @ts-expect-error fails too).
describe('[@vm/host] host-function signatures', () => {
  it('an implementation whose parameters differ from its signature string does not compile', () => {
    const good = row('good', 'iI', 'i', undefined, (_ctx, ptr: number, gas: bigint) => ptr + Number(gas));
    // @ts-expect-error an i64 parameter implemented as a number
    const wrongParam = row('wrongParam', 'iI', '', undefined, (_ctx, _ptr: number, _gas: number) => undefined);
    // @ts-expect-error an i32 result implemented as a bigint
    const wrongResult = row('wrongResult', 'i', 'i', undefined, (_ctx, _ptr: number) => 1n);
    // @ts-expect-error more parameters than the signature has
    const extraParam = row('extra', 'i', '', undefined, (_ctx, _a: number, _b: number) => undefined);
    expect([good, wrongParam, wrongResult, extraParam].map((r) => [r.params, r.results])).toEqual([
      ['iI', 'i'],
      ['iI', ''],
      ['i', 'i'],
      ['i', ''],
    ]);
  });

  it('every row of the table: a signature of i32/i64 letters, an implementation taking no more than it', () => {
    expect(EEI_ROWS.length).toBe(120);
    for (const r of EEI_ROWS) {
      expect(`${r.name} ${r.params} ${r.results}`).toMatch(/^\S+ [iI]* [iI]?$/);
      // the frame, then at most one parameter per letter (an implementation may leave trailing ones out)
      expect({ name: r.name, declared: r.impl.length <= 1 + r.params.length }).toEqual({
        name: r.name,
        declared: true,
      });
    }
  });
});
