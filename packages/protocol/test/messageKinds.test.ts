import {
  MessageKind,
  MESSAGE_KIND_TABLE,
  HOOK_REQUEST_KINDS,
  kindName,
  isKnownKind,
  isHookCall,
  isHookRequest,
  isDiagnose,
  isContractResponse,
  isStopRequest,
  responseKindOf,
  PAYLOAD_SHAPES,
} from '@vm/protocol';

describe('[@vm/protocol] message kinds', () => {
  it('numbers 0..49 in the reference order, ours from 50, enum and table agreeing', () => {
    expect(MESSAGE_KIND_TABLE).toHaveLength(57);
    MESSAGE_KIND_TABLE.forEach((row, kind) => expect(MessageKind[row.name as keyof typeof MessageKind]).toBe(kind));
    expect(MessageKind.FirstKind).toBe(0);
    expect(MessageKind.ContractResponse).toBe(5);
    expect(MessageKind.BlockchainGetStorageDataRequest).toBe(8);
    expect(MessageKind.BlockchainIsSmartContractResponse).toBe(45);
    expect(MessageKind.UndefinedRequestOrResponse).toBe(48);
    expect(MessageKind.LastKind).toBe(49);
    expect(MessageKind.InitializeAcknowledge).toBe(50);
    expect(MESSAGE_KIND_TABLE.slice(50).every((row) => row.family === 'extension')).toBe(true);
  });

  it('has unique names', () => {
    expect(new Set(MESSAGE_KIND_TABLE.map((r) => r.name)).size).toBe(57);
  });

  it('pairs every hook request with the response right after it', () => {
    expect(HOOK_REQUEST_KINDS).toHaveLength(20);
    for (const kind of HOOK_REQUEST_KINDS) {
      const response = responseKindOf(kind)!;
      expect(kindName(response)).toBe(kindName(kind)!.replace(/Request$/, 'Response'));
      expect(isHookRequest(response)).toBe(false);
    }
    expect(responseKindOf(MessageKind.DiagnoseWaitRequest)).toBe(MessageKind.DiagnoseWaitResponse);
    expect(responseKindOf(MessageKind.ContractCallRequest)).toBeUndefined();
    expect(responseKindOf(MessageKind.BlockchainGetCodeRequest)).toBe(MessageKind.BlockchainGetCodeResponse);
  });

  it('has the reference predicates', () => {
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    expect(range(0, 49).filter(isHookCall)).toEqual(range(6, 45));
    expect(range(0, 49).filter(isDiagnose)).toEqual([46, 47]);
    expect(range(0, 49).filter(isContractResponse)).toEqual([5]);
    expect(range(0, 49).filter(isStopRequest)).toEqual([2]);
  });

  it('knows exactly the kinds 1..48 and ours 50..56 as frame kinds, each with a payload shape', () => {
    expect([-1, 0, 49, 57, 1.5, 2 ** 32].some(isKnownKind)).toBe(false);
    for (const kind of [...Array.from({ length: 48 }, (_, i) => i + 1), 50, 51, 52, 53, 54, 55, 56]) {
      expect(isKnownKind(kind)).toBe(true);
      expect(PAYLOAD_SHAPES[kind as keyof typeof PAYLOAD_SHAPES]).toBeDefined();
    }
  });
});
