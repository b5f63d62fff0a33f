import { gasScheduleMapOf } from '@vm/protocol';

describe('[@vm/protocol] gasScheduleMapOf', () => {
  it('returns a map of sections as it is', () => {
    const map = { BaseOperationCost: { StorePerByte: 3n } };
    expect(gasScheduleMapOf(map)).toBe(map);
  });

  it("takes a validated schedule's costs, as plain tables", () => {
    const validated = { costs: Object.freeze({ BaseOperationCost: Object.freeze({ StorePerByte: 3n }) }), extra: 1 };
    const map = gasScheduleMapOf(validated);
    expect(map).toEqual({ BaseOperationCost: { StorePerByte: 3n } });
    expect(Object.isFrozen(map.BaseOperationCost)).toBe(false);
  });

  it('keeps a map that happens to have a section named costs', () => {
    const map = { costs: { StorePerByte: 3n } };
    expect(gasScheduleMapOf(map)).toBe(map);
  });
});
