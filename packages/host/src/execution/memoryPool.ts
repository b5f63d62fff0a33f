/**
 * Reused linear memories. Creating a WebAssembly.Memory reserves and later frees a large address range, which
 * costs more than the whole rest of a call; a memory that was not grown is zeroed and handed out again, so every
 * instance still starts from exactly the memory a fresh one would have.
 */
import { PAGE } from '../wasm/limits';

const KEEP_PER_SHAPE = 16;

export class MemoryPool {
  private readonly free = new Map<string, WebAssembly.Memory[]>();

  acquire(initial: number, maximum: number): WebAssembly.Memory {
    const reused = this.free.get(`${initial}:${maximum}`)?.pop();
    if (!reused) return new WebAssembly.Memory({ initial, maximum });
    new Uint8Array(reused.buffer).fill(0);
    return reused;
  }

  /** Back to the pool, unless it grew (a grown memory cannot shrink back to its initial size). */
  release(memory: WebAssembly.Memory, initial: number, maximum: number): void {
    if (memory.buffer.byteLength !== initial * PAGE) return;
    const key = `${initial}:${maximum}`;
    const list = this.free.get(key) ?? [];
    if (list.length < KEEP_PER_SHAPE) list.push(memory);
    this.free.set(key, list);
  }
}
