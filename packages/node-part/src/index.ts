export { runNodePart } from './nodePart';
export { replyToHookCall, answerHookCall, hookFailure } from './blockchainRepliers';
export type { NodePartOptions } from './nodePart';
export type { Replier, HookReply } from './blockchainRepliers';
