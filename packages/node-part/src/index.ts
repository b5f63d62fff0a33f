export { runNodePart } from './nodePart';
export { replyToHookCall, answerHookCall, hookFailure } from './blockchainRepliers';
export { accountByHash } from './session';
export type { NodePartOptions } from './nodePart';
export type { NodeSession } from './session';
export type { Replier, HookReply } from './blockchainRepliers';
