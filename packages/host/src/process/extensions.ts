/**
 * The VM process's side of the capabilities handshake (capabilities.ts of @vm/protocol): the node offered a bit
 * set in Initialize; the VM accepts the ones it speaks and says so, with its version, in InitializeAcknowledge,
 * its first message (a dialogue of its own, nonce 1). A node that offered nothing (a reference node) gets nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_CAPABILITIES, createMessage, MessageKind } from '@vm/protocol';
import type { SyncMessenger } from '@vm/messenger';

/** The VM's version (its package's) and build (the runtime it runs on). */
export function arwenVersion(): { Version: string; Build: string } {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return { Version: manifest.version, Build: `node ${process.version} ${process.platform}-${process.arch}` };
}

/** Accepts what the VM speaks of `offered` and tells the node (nothing is sent when nothing was offered). */
export function acknowledgeCapabilities(messenger: SyncMessenger, offered: number): number {
  if (offered === 0) return 0;
  const accepted = offered & ALL_CAPABILITIES;
  messenger.send(createMessage(MessageKind.InitializeAcknowledge, { ...arwenVersion(), Capabilities: accepted }));
  messenger.resetDialogue();
  return accepted;
}
