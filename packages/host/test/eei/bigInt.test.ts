// The big-integer <-> byte conversions of the contract API (Go's big.Int.Bytes/SetBytes and two's complement), on
// random values of every length, against a plain hex-string model of them: the fast number paths must agree.
import fc from 'fast-check';
import { ReturnCode } from '@vm/protocol';
import { FakeBlockchainHook, wat, address, callInput, hex } from '@vm/testkit';
import { newHost } from '@vm/testkit/host';

const SC = address('bigint-bytes');

const fromHex = (bytes: Uint8Array) => (bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`));
const model = {
  unsigned: fromHex,
  signed: (b: Uint8Array) => (b.length > 0 && b[0] & 0x80 ? fromHex(b) - (1n << BigInt(b.length * 8)) : fromHex(b)),
  magnitude(value: bigint): string {
    const v = value < 0n ? -value : value;
    if (v === 0n) return '';
    const text = v.toString(16);
    return text.length % 2 ? `0${text}` : text;
  },
  twos(value: bigint): string {
    if (value === 0n) return '';
    let length = 1;
    while (value < -(1n << BigInt(length * 8 - 1)) || value >= 1n << BigInt(length * 8 - 1)) length++;
    return (value < 0n ? value + (1n << BigInt(length * 8)) : value).toString(16).padStart(length * 2, '0');
  },
};

/** What the contract finishes for `arg`, by the model. */
function expected(arg: Uint8Array): string[] {
  const signed = model.signed(arg);
  const unsigned = model.unsigned(arg);
  return [model.magnitude(signed), model.twos(signed), model.magnitude(unsigned), model.twos(unsigned)];
}

/** Argument 0 read signed and unsigned; each finished as its magnitude and as two's complement. */
const CONTRACT = `(module
  (import "env" "bigIntNew" (func $new (param i64) (result i32)))
  (import "env" "bigIntGetSignedArgument" (func $signedArg (param i32 i32)))
  (import "env" "bigIntGetUnsignedArgument" (func $unsignedArg (param i32 i32)))
  (import "env" "bigIntFinishUnsigned" (func $finishUnsigned (param i32)))
  (import "env" "bigIntFinishSigned" (func $finishSigned (param i32)))
  (memory (export "memory") 1)
  (func (export "convert") (local $s i32) (local $u i32)
    (local.set $s (call $new (i64.const 0)))
    (local.set $u (call $new (i64.const 0)))
    (call $signedArg (i32.const 0) (local.get $s))
    (call $unsignedArg (i32.const 0) (local.get $u))
    (call $finishUnsigned (local.get $s))
    (call $finishSigned (local.get $s))
    (call $finishUnsigned (local.get $u))
    (call $finishSigned (local.get $u))))`;

describe('big-integer byte conversions', () => {
  let run: (arg: Uint8Array) => string[];

  beforeAll(async () => {
    const hook = new FakeBlockchainHook();
    hook.setAccount(SC, { code: await wat(CONTRACT) });
    const { vm } = newHost(hook);
    run = (arg) => {
      const out = vm.runSmartContractCall(callInput(SC, 'convert', { Arguments: [arg] }));
      expect(out.ReturnCode).toBe(ReturnCode.Ok);
      return (out.ReturnData ?? []).map((d) => hex(d) ?? '');
    };
  });

  const lengths = (bytes: fc.Arbitrary<Uint8Array>) => fc.oneof(bytes, fc.uint8Array({ maxLength: 7 }));
  const edges = fc
    .tuple(fc.integer({ min: 1, max: 40 }), fc.constantFrom(0x00, 0x7f, 0x80, 0xff))
    .chain(([length, first]) =>
      fc.constantFrom(0x00, 0xff).map((rest) => Uint8Array.from({ length }, (_, i) => (i === 0 ? first : rest))),
    );

  it('agrees with the hex model on arguments of 0 to 40 bytes', () => {
    fc.assert(
      fc.property(fc.oneof(lengths(fc.uint8Array({ maxLength: 40 })), edges), (arg) => {
        expect(run(arg)).toEqual(expected(arg));
      }),
      { numRuns: 400 },
    );
  });

  it('handles the lengths around the 6-byte number path', () => {
    for (const text of ['7fffffffffff', '800000000000', 'ffffffffffff', '01000000000000', 'ff', '80', '00ff', '0080']) {
      const arg = Buffer.from(text, 'hex');
      expect(run(arg)).toEqual(expected(arg));
    }
    expect(run(Buffer.from('800000000000', 'hex'))).toEqual([
      '800000000000',
      '800000000000',
      '800000000000',
      '00800000000000',
    ]);
  });
});
