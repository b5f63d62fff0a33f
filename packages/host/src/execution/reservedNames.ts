/**
 * Names a contract may not export: every host-function name of both namespaces (EEI_ROWS), `upgradeContract`, and
 * the protocol's built-in functions.
 */
import { EEI_ROWS } from '../eei/rows';

/** The call that replaces a contract's code (runs init with the remaining arguments). */
export const UPGRADE_FUNCTION = 'upgradeContract';

export function reservedExportNames(builtinFunctions: readonly string[]): ReadonlySet<string> {
  const reserved = new Set(builtinFunctions);
  for (const row of EEI_ROWS) reserved.add(row.name);
  reserved.add(UPGRADE_FUNCTION);
  return reserved;
}

/** The reference's validator: non-empty, under 256 bytes, ASCII only, not reserved. */
export function isValidExportName(name: string, reserved: ReadonlySet<string>): boolean {
  return name.length > 0 && name.length < 256 && isAscii(name) && !reserved.has(name);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
