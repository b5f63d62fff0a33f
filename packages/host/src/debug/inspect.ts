/**
 * What a deployed contract is made of: its imports (each marked as a contract-API function or not), its exports,
 * its size, and its text form (binaryen's emitText; binaryen is loaded on the first request that needs it).
 */
import { EEI_ROWS } from '../vmHost';
import { EXPORT_KIND, parseModuleLayout } from '../wasm/moduleLayout';

const API = new Set(EEI_ROWS.map((row) => `${row.namespace}.${row.name}`));
const KIND_NAMES = Object.fromEntries(Object.entries(EXPORT_KIND).map(([name, kind]) => [kind, name]));

export interface CodeInspection {
  Size: number;
  Imports: { Module: string; Name: string; ContractApi: boolean }[];
  Exports: { Name: string; Kind: string }[];
  /** Why the module cannot be read, when it cannot. */
  Invalid?: string;
  /** The module in the WebAssembly text format. */
  Text?: string;
  /** Why there is no text form, when there is none. */
  TextError?: string;
}

interface Binaryen {
  readBinary(data: Uint8Array): { emitText(): string; dispose(): void };
}

// Real dynamic import (TypeScript compiles `import()` to require() under CommonJS, and binaryen is an ES module
// with top-level await, which require() cannot load).
const importModule = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<{ default: Binaryen }>;
let binaryen: Promise<Binaryen> | undefined;

/** binaryen, loaded once (a failed load is tried again next time). */
function loadBinaryen(): Promise<Binaryen> {
  binaryen ??= importModule('binaryen').then(
    (m) => m.default,
    (error: unknown) => {
      binaryen = undefined;
      throw error;
    },
  );
  return binaryen;
}

/** The code in the text format, or why not (binaryen missing, a module it cannot read). */
export async function codeText(code: Uint8Array): Promise<Pick<CodeInspection, 'Text' | 'TextError'>> {
  let b: Binaryen;
  try {
    b = await loadBinaryen();
  } catch (error) {
    return { TextError: `binaryen could not be loaded: ${(error as Error).message}` };
  }
  try {
    const module = b.readBinary(code);
    try {
      return { Text: module.emitText() };
    } finally {
      module.dispose();
    }
  } catch (error) {
    return { TextError: `binaryen cannot read the module: ${(error as Error).message}` };
  }
}
export function inspectCode(code: Uint8Array): CodeInspection {
  try {
    const layout = parseModuleLayout(code);
    return {
      Size: code.length,
      Imports: layout.imports.map((i) => ({
        Module: i.module,
        Name: i.name,
        ContractApi: API.has(`${i.module}.${i.name}`),
      })),
      Exports: layout.exports.map((e) => ({ Name: e.name, Kind: KIND_NAMES[e.kind] ?? String(e.kind) })),
    };
  } catch (error) {
    return { Size: code.length, Imports: [], Exports: [], Invalid: (error as Error).message };
  }
}
