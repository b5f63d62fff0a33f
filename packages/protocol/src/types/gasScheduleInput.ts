/**
 * The one gas-schedule type every package accepts: the plain map of sections (what travels in Initialize), or a
 * validated schedule that carries that map as `costs` (what @vm/host's `createGasSchedule` and `loadGasSchedule`
 * return). A VM host and a VM driver take the same value.
 */
import type { GasScheduleMap } from '../wire/fields';

export interface ValidatedGasScheduleLike {
  readonly costs: { readonly [section: string]: { readonly [key: string]: bigint } };
}

export type GasScheduleInput = GasScheduleMap | ValidatedGasScheduleLike;

/** The map of sections of either form (a validated schedule's `costs`, copied; a map as it is). */
export function gasScheduleMapOf(schedule: GasScheduleInput): GasScheduleMap {
  if (isValidated(schedule))
    return Object.fromEntries(Object.entries(schedule.costs).map(([section, costs]) => [section, { ...costs }]));
  return schedule;
}

function isValidated(schedule: GasScheduleInput): schedule is ValidatedGasScheduleLike {
  const costs = (schedule as Partial<ValidatedGasScheduleLike>).costs;
  // a map never has a section named `costs` whose values are all tables (sections hold bigints)
  return typeof costs === 'object' && costs !== null && Object.values(costs).every((v) => typeof v === 'object');
}
