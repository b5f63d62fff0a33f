/**
 * `@vm/host/testing`: the contract test API. A test world (in process, or through the real process stack), typed
 * argument and result codecs, and failure and account assertions, for tests written with any runner.
 */
import '../wasm/webAssemblyTypes';

export { createTestWorld, TestWorld, TestAccount, TestContract, TxResult, DEFAULT_GAS_LIMIT } from './world';
export { u64, biguint, str, address, bytes, bool } from './codecs';
export { TxFailure, TestInputError, TestAssertionError } from './errors';
export { expectFailure, assertAccount } from './assertions';

export type { TestWorldOptions, HandlerFactory, DeployOptions, CallOptions, QueryOptions, Outcome } from './world';
export type { Codec, Decoded } from './codecs';
export type { TestTransaction } from './errors';
export type { ExpectedFailure, ExpectedAccount, FailureOutcome } from './assertions';
export type { AddressLike } from './inputs';
