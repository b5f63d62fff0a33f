import Ajv from 'ajv';
import { messageSchema, kindName, BASE64_PATTERN } from '@vm/protocol';
import { WIRE_KINDS } from '@vm/testkit';

describe('[@vm/protocol] JSON schemas', () => {
  it.each(WIRE_KINDS.map((kind) => [kindName(kind), kind] as const))(
    '%s has a compilable schema naming every envelope key',
    (name, kind) => {
      const schema = messageSchema(kind);
      expect(schema.title).toBe(name);
      expect(schema.required).toEqual(expect.arrayContaining(['DialogueNonce', 'Kind', 'ErrorMessage']));
      expect(schema.additionalProperties).toBe(false);
      // checked against the meta-schema here, so the VM need not do it at start
      const ajv = new Ajv({ strict: false, allowUnionTypes: true });
      ajv.addKeyword({
        keyword: 'goInteger',
        schemaType: 'string',
        metaSchema: { enum: ['uint64', 'uint32', 'int', 'bigInt'] },
        validate: () => true,
      });
      ajv.addKeyword({ keyword: 'goBytes', schemaType: 'boolean', metaSchema: { const: true }, validate: () => true });
      expect(() => ajv.compile(schema)).not.toThrow();
    },
  );

  it('describes byte arrays as padded standard base64', () => {
    const base64 = new RegExp(BASE64_PATTERN);
    expect(['', 'AA==', 'AAA=', 'AAAA', 'bXljb250cmFjdA=='].every((s) => base64.test(s))).toBe(true);
    expect(['A', 'AA', 'AAA', 'AA=A', '-_8=', 'AA== '].some((s) => base64.test(s))).toBe(false);
  });
});

describe('[@vm/protocol] the goBytes check equals the base64 pattern', () => {
  it('accepts exactly the strings BASE64_PATTERN accepts', async () => {
    const fc = (await import('fast-check')).default;
    const { decodeMessage } = await import('@vm/protocol');
    const pattern = new RegExp(BASE64_PATTERN);
    const accepted = (s: string) => {
      try {
        decodeMessage(40, Buffer.from(JSON.stringify({ DialogueNonce: 1, Kind: 40, ErrorMessage: '', Address: s })));
        return true;
      } catch {
        return false;
      }
    };
    // short strings and long ones (checked by decoding, see wire/json/base64.ts), with the characters Node's decoder
    // tolerates but Go rejects: the URL-safe alphabet, whitespace, misplaced padding
    const base64ish = fc.stringMatching(/^[A-Za-z0-9+/=]{0,12}$/);
    const alphabet = fc.constantFrom(...'AQw9+/=-_ .\n\u00e9');
    const long = fc
      .tuple(
        fc.stringMatching(/^([A-Za-z0-9+/]{4}){64,70}$/),
        fc.array(alphabet, { maxLength: 4 }).map((a) => a.join('')),
        fc.constantFrom('', '=', '==', 'A=', 'AA=='),
      )
      .map(([a, b, c]) => a + b + c);
    fc.assert(
      fc.property(fc.oneof(base64ish, long), (s) => expect(accepted(s)).toBe(pattern.test(s))),
      { numRuns: 3000 },
    );
  });
});
