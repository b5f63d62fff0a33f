/**
 * The VM process's codes by hash (capability CodeByHash): the node names a code by its SHA-256 and the VM uses the
 * bytes it already holds, so a contract's code crosses the pipe once per VM process, not once per request. The
 * same array is handed out every time, so the host's ModuleCache finds its compiled module by identity (a memcmp),
 * with no hashing. Bounded by total bytes, least recently used first out.
 */
export class CodeStore {
  private readonly codes = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(hash: Uint8Array): Uint8Array | undefined {
    const key = Buffer.from(hash).toString('hex');
    const code = this.codes.get(key);
    if (code) {
      this.codes.delete(key); // most recently used last
      this.codes.set(key, code);
    }
    return code;
  }

  put(hash: Uint8Array, code: Uint8Array): Uint8Array {
    const key = Buffer.from(hash).toString('hex');
    const copy = Uint8Array.from(code); // its own bytes: never a view of a reused frame buffer
    if (!this.codes.has(key)) this.bytes += copy.length;
    this.codes.set(key, copy);
    for (const [oldest, old] of this.codes) {
      if (this.bytes <= this.maxBytes || oldest === key) break;
      this.codes.delete(oldest);
      this.bytes -= old.length;
    }
    return copy;
  }

  get size(): number {
    return this.codes.size;
  }
}
