/** What a deployed contract is made of: its imports (each marked as a contract-API function or not), its exports, its size. */
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
