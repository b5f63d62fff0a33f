import { parseScenarioStep, writeStep, type TxStep } from '@vm/host/scenario';

const step = () =>
  parseScenarioStep({
    step: 'scCall',
    tx: {
      from: 'address:a',
      to: 'sc:b',
      value: '0',
      function: 'f',
      arguments: ['5', 'str:x'],
      gasLimit: '1,000',
      gasPrice: '0',
    },
  }) as TxStep;

describe('[@vm/host] the scenario writer never loses a value', () => {
  it('keeps every original text that still evaluates to its value', () => {
    const notes: string[] = [];
    const text = writeStep(step(), { notes });
    expect(text).toContain('"5"');
    expect(text).toContain('"str:x"');
    expect(text).toContain('"1,000"');
    expect(notes).toEqual([]);
  });

  it('a value changed after parsing is written in hex, with a note saying where', () => {
    const changed = step();
    const edited: TxStep = {
      ...changed,
      tx: { ...changed.tx, arguments: [{ original: '5', value: Uint8Array.of(9, 10) }, changed.tx.arguments![1]] },
    };
    const notes: string[] = [];
    const text = writeStep(edited, { notes });
    expect(text).toContain('"0x090a"');
    expect(text).toContain('"str:x"');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/arguments\[0\].*"5" does not evaluate to the value; written as/);
  });
});
