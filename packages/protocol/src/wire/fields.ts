/**
 * The field vocabulary of the wire: each Go type the reference puts on the wire, once.
 * Shapes (ordered field tables) built from these are the single source of truth: the JSON schemas, the TypeScript
 * types and the Go-compatible codec are all derived from them.
 */

/** Go `[]byte`: padded standard base64, `null` for nil. */
export type Bytes = Uint8Array | null;

export type Field = (
  | { readonly t: 'bytes' }
  | { readonly t: 'bytesList' }
  | { readonly t: 'bigInt' }
  | { readonly t: 'u64' }
  | { readonly t: 'u32' }
  | { readonly t: 'int' }
  | { readonly t: 'bool' }
  | { readonly t: 'string' }
  | { readonly t: 'struct'; readonly shape: Shape; readonly nullable: boolean }
  | { readonly t: 'structList'; readonly shape: Shape }
  | { readonly t: 'keyedList'; readonly shape: Shape; readonly keyField: string }
  | { readonly t: 'bytesMap' }
  | { readonly t: 'nameSet' }
  | { readonly t: 'gasSchedule' }
) & {
  /** A field of ours that a reference peer does not send (see f.extension). */
  readonly extension?: true;
};

/** An ordered field table; key order is the Go struct's field order (and so the JSON key order). */
export type Shape = { readonly [name: string]: Field };

export const f = {
  /** Go `[]byte` */
  bytes: { t: 'bytes' },
  /** Go `[][]byte` (nil list and nil elements are `null`) */
  bytesList: { t: 'bytesList' },
  /** Go `*big.Int`: a bare JSON integer of any size, `null` for nil */
  bigInt: { t: 'bigInt' },
  /** Go `uint64`: a bare JSON integer up to 2^64-1 */
  u64: { t: 'u64' },
  /** Go `uint32` */
  u32: { t: 'u32' },
  /**
   * A `uint32` of ours that a reference peer does not send: optional (absent reads as 0, as Go's decoder reads a
   * missing field) and left out of JSON at 0, so reference messages re-encode byte-identically; Go ignores it.
   */
  extensionU32: { t: 'u32', extension: true },
  /**
   * Any field of ours that a reference peer does not send, as extensionU32: optional (absent reads as its zero:
   * 0 for u32, null otherwise), left out of JSON at its zero; the binary codec always writes it.
   */
  extension: <F extends Field>(field: F) => ({ ...field, extension: true }) as F & { readonly extension: true },
  /** Go `int` (ReturnCode, CallType) */
  int: { t: 'int' },
  bool: { t: 'bool' },
  string: { t: 'string' },
  /** Go `T` (by value) */
  struct: <S extends Shape>(shape: S) => ({ t: 'struct', shape, nullable: false }) as const,
  /** Go `*T` */
  pointer: <S extends Shape>(shape: S) => ({ t: 'struct', shape, nullable: true }) as const,
  /** Go `[]*T` */
  structList: <S extends Shape>(shape: S) => ({ t: 'structList', shape }) as const,
  /**
   * Go `map[string]*T` whose key is the raw bytes of `T.keyField` (OutputAccounts by Address, StorageUpdates by
   * Offset). Carried as a list of T: decoding reads the inner field, encoding writes keys losslessly.
   */
  keyedList: <S extends Shape, K extends keyof S & string>(shape: S, keyField: K) =>
    ({ t: 'keyedList', shape, keyField }) as const,
  /** Go `map[string][]byte` with raw-byte keys (AllState) */
  bytesMap: { t: 'bytesMap' },
  /** Go `map[string]struct{}` (FunctionNames): a sorted list of names */
  nameSet: { t: 'nameSet' },
  /** Go `map[string]map[string]uint64` (GasScheduleMap) */
  gasSchedule: { t: 'gasSchedule' },
} as const;

export interface BytesMapEntry {
  key: Uint8Array;
  value: Bytes;
}

/** Section -> operation -> cost. */
export type GasScheduleMap = Record<string, Record<string, bigint>>;

/** The TypeScript value of a field. */
export type FieldValue<F> = F extends { t: 'bytes' }
  ? Bytes
  : F extends { t: 'bytesList' }
    ? Bytes[] | null
    : F extends { t: 'bigInt' }
      ? bigint | null
      : F extends { t: 'u64' }
        ? bigint
        : F extends { t: 'u32' } | { t: 'int' }
          ? number
          : F extends { t: 'bool' }
            ? boolean
            : F extends { t: 'string' }
              ? string
              : F extends { t: 'struct'; shape: infer S; nullable: true }
                ? ShapeValue<S> | null
                : F extends { t: 'struct'; shape: infer S }
                  ? ShapeValue<S>
                  : F extends { t: 'structList'; shape: infer S }
                    ? ShapeValue<S>[] | null
                    : F extends { t: 'keyedList'; shape: infer S }
                      ? ShapeValue<S>[] | null
                      : F extends { t: 'bytesMap' }
                        ? BytesMapEntry[] | null
                        : F extends { t: 'nameSet' }
                          ? string[] | null
                          : F extends { t: 'gasSchedule' }
                            ? GasScheduleMap | null
                            : never;

/** The fields of a shape that a peer may leave out (extensions). */
type OptionalKeys<S> = { [K in keyof S]: S[K] extends { extension: true } ? K : never }[keyof S];

/** The TypeScript value of a shape: one property per field (optional for an extension). */
export type ShapeValue<S> = { -readonly [K in Exclude<keyof S, OptionalKeys<S>>]: FieldValue<S[K]> } & {
  -readonly [K in OptionalKeys<S>]?: FieldValue<S[K]>;
};
