export { runNodePart } from './nodePart';
export { replyToHookCall } from './blockchainRepliers';
export type { NodePartOptions } from './nodePart';
export type { Replier } from './blockchainRepliers';
