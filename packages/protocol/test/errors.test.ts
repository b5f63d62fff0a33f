import { VMError, ErrorCode, defineErrors } from '@vm/protocol';

describe('[@vm/protocol] VMError', () => {
  it('carries the code, the critical bit and the reference message', () => {
    const error = new VMError(ErrorCode.InvalidDialogueNonce, 'expected 3, received 5');
    expect(error.message).toBe('invalid dialogue nonce: expected 3, received 5');
    expect(error.code).toBe('InvalidDialogueNonce');
    expect(VMError.isCritical(error)).toBe(true);
    expect(VMError.isCritical(new Error('plain'))).toBe(false);
    expect(error.toJSON()).toEqual({
      name: 'VMError',
      code: 'InvalidDialogueNonce',
      critical: true,
      message: 'invalid dialogue nonce: expected 3, received 5',
    });
  });

  it('lets a package declare its own codes and families, and override the critical bit', () => {
    const codes = defineErrors({
      HostFailure: { message: 'host failure', critical: false },
      BadImport: { message: 'bad import', critical: false, family: 'HostFailure' },
    });
    const error = new VMError(codes.BadImport, 'env.foo');
    expect(VMError.is(error, codes.BadImport)).toBe(true);
    expect(VMError.is(error, codes.HostFailure)).toBe(true);
    expect(VMError.is(error, ErrorCode.BadFrame)).toBe(false);
    expect(error.critical).toBe(false);
    expect(new VMError(codes.BadImport, undefined, { critical: true }).critical).toBe(true);
    expect(Object.isFrozen(codes)).toBe(true);
  });
});
