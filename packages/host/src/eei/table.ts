/**
 * The contract API as declarative tables: one row per host function with its wasm signature, the gas key charged
 * on entry, and its implementation, whose parameter and result types are checked against the signature at compile
 * time (`row<P, R>`). One builder turns the rows into the import object and checks every contract import against
 * its row (V8 accepts any signature for a JS function; the reference does not).
 */
import { gasCost, type GasKey, type GasSchedule } from '../gas/gasSchedule';
import type { ExecutionContext } from '../execution/executionContext';
import { ContractError } from '../execution/contractErrors';
import { VALTYPE, type ModuleLayout } from '../wasm/moduleLayout';
import { invalid } from '../wasm/binary';

type WasmValue = number | bigint;
type HostFunction = (...args: WasmValue[]) => WasmValue | void;
/** The import object by namespace (a `WebAssembly.Imports`; spelled out so the declarations need no DOM lib). */
export type HostImports = Record<string, Record<string, HostFunction>>;
export type HostImpl = (ctx: ExecutionContext, ...args: never[]) => WasmValue | void;

export interface EeiRow {
  readonly namespace: 'env' | 'ethereum';
  readonly name: string;
  /** 'i' = i32, 'I' = i64, e.g. 'iI' = (i32, i64). */
  readonly params: string;
  readonly results: string;
  /** Charged before the implementation runs (per-byte costs are charged inside). */
  readonly gas: GasKey | undefined;
  readonly impl: HostImpl;
}

/** The wasm value of a signature letter. */
type WasmTypeOf<C extends string> = C extends 'i' ? number : C extends 'I' ? bigint : never;
/** A signature string's parameters as a tuple: `'iI'` is `[number, bigint]`. */
export type ParamsOf<S extends string> = S extends `${infer C}${infer Rest}` ? [WasmTypeOf<C>, ...ParamsOf<Rest>] : [];
/** A signature string's result: `''` none, `'i'` a number, `'I'` a bigint. */
export type ResultOf<S extends string> = S extends '' ? void : WasmTypeOf<S>;
/** An implementation checked against its row's signature (it may leave trailing parameters out). */
export type TypedImpl<P extends string, R extends string> = (
  ctx: ExecutionContext,
  ...args: ParamsOf<P>
) => ResultOf<R>;

/** A row; its implementation's parameter and result types must match the signature strings (a compile error if not). */
export const row = <P extends string, R extends string>(
  name: string,
  params: P,
  results: R,
  gas: GasKey | undefined,
  impl: TypedImpl<P, R>,
  namespace: EeiRow['namespace'] = 'env',
): EeiRow => Object.freeze({ namespace, name, params, results, gas, impl: impl as unknown as HostImpl });

const TYPE_CODE: Record<string, number> = { i: VALTYPE.i32, I: VALTYPE.i64 };

/** Every import of the contract must name a row and match its signature exactly. */
export function checkImports(layout: ModuleLayout, rows: ReadonlyMap<string, EeiRow>): void {
  for (const imp of layout.imports) {
    const entry = rows.get(`${imp.module}.${imp.name}`);
    if (!entry) invalid(`unknown import ${imp.module}.${imp.name}`);
    const type = layout.types[imp.typeIndex];
    const same = (codes: readonly number[], spec: string) =>
      codes.length === spec.length && codes.every((c, i) => c === TYPE_CODE[spec[i]]);
    if (!same(type.params, entry.params) || !same(type.results, entry.results))
      invalid(`import ${imp.module}.${imp.name} has the wrong signature`);
  }
}

/**
 * The import object: every call charges the row's gas, runs the implementation, and turns a ContractError into
 * the reference's fault (all gas burned, ExecutionFailed with the error's text).
 */
export function buildImports(
  rows: readonly EeiRow[],
  schedule: GasSchedule,
  current: () => ExecutionContext,
): HostImports {
  const imports: HostImports = {};
  for (const entry of rows) {
    const impl = entry.impl as (ctx: ExecutionContext, ...args: WasmValue[]) => WasmValue | void;
    const cost = entry.gas === undefined ? undefined : gasCost(schedule, entry.gas);
    (imports[entry.namespace] ??= {})[entry.name] = (...args: WasmValue[]) => {
      const ctx = current();
      try {
        if (cost !== undefined) ctx.useGas(cost);
        return impl(ctx, ...args);
      } catch (error) {
        if (error instanceof ContractError) ctx.fault(error);
        throw error; // breakpoints, and bugs (which must never pass as a failed contract)
      }
    };
  }
  return imports;
}

/** 0 when `action` succeeds, 1 when it fails at the contract level (the caller goes on); bugs propagate. */
export function zeroOrOne(action: () => void): number {
  try {
    action();
    return 0;
  } catch (error) {
    if (error instanceof ContractError) return 1;
    throw error;
  }
}

export function rowsByName(rows: readonly EeiRow[]): ReadonlyMap<string, EeiRow> {
  return new Map(rows.map((r) => [`${r.namespace}.${r.name}`, r]));
}
