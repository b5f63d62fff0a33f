/**
 * Whether the CLI colours its output, by the usual conventions (as Node's own tty.getColorDepth): FORCE_COLOR set
 * (to anything but 0 or false) turns colours on, even when piped; otherwise NO_COLOR (non-empty) turns them off;
 * otherwise only a terminal that is not `dumb` gets them.
 */
import { createColors } from 'picocolors';

export type Colors = ReturnType<typeof createColors>;

export function colorsWanted(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return isTTY && env.TERM !== 'dumb';
}

export const colors = (enabled: boolean): Colors => createColors(enabled);
