/**
 * The messenger's only coupling to Node internals, behind one small interface: the fd under a stream, and
 * switching an inherited fd between blocking and non-blocking mode. Node has neither in its public API (no
 * `fileno`, no `fcntl`); both go through libuv handles (`_handle`), which Node does not document. Everything else
 * in the messenger uses public APIs only, so another runtime needs only another FdPlatform.
 */
import { Socket } from 'node:net';

/** Switches an fd between blocking and non-blocking mode. */
export interface BlockingSwitch {
  setBlocking(blocking: boolean): void;
}

export interface FdPlatform {
  /** The fd under a stream over a pipe or socket (e.g. a child's stdio), if it has one. */
  fdOf(stream: object): number | undefined;
  /**
   * A switch for an inherited socket or pipe fd, left in blocking mode; null when the fd is of another type (a
   * file, a terminal). The mode belongs to the open file description, which only this process holds for the VM's
   * own pipe ends.
   */
  blockingSwitch(fd: number): BlockingSwitch | null;
}

interface UvHandle {
  fd?: unknown;
  setBlocking?(blocking: boolean): number;
}

const handleOf = (object: object): UvHandle | undefined => (object as { _handle?: UvHandle })._handle;

export const NODE_PLATFORM: FdPlatform = Object.freeze({
  fdOf(stream: object): number | undefined {
    const fd = handleOf(stream)?.fd;
    return typeof fd === 'number' && fd >= 0 ? fd : undefined;
  },

  blockingSwitch(fd: number): BlockingSwitch | null {
    let socket: Socket;
    try {
      // readable/writable false: the handle never reads, so it cannot take bytes from the fd
      socket = new Socket({ fd, readable: false, writable: false });
    } catch {
      return null;
    }
    const handle = handleOf(socket);
    if (typeof handle?.setBlocking !== 'function') return null;
    const setBlocking = (blocking: boolean): void => {
      void socket; // kept referenced with its handle for the life of the switch
      const status = (handle.setBlocking as (blocking: boolean) => number).call(handle, blocking);
      if (status !== 0)
        throw new Error(`cannot make fd ${fd} ${blocking ? 'blocking' : 'non-blocking'} (uv error ${status})`);
    };
    setBlocking(true); // opening the handle made it non-blocking
    return { setBlocking };
  },
});

/** NODE_PLATFORM.blockingSwitch. */
export function openBlockingSwitch(fd: number): BlockingSwitch | null {
  return NODE_PLATFORM.blockingSwitch(fd);
}
