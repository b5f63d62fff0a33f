import { monotonicMs } from './clock';

/** A point in monotonic time by which something must be done. One per request, shared by its reads and writes. */
export class Deadline {
  private constructor(private readonly at: number) {}

  static after(ms: number): Deadline {
    return new Deadline(monotonicMs() + ms);
  }

  static never(): Deadline {
    return NEVER;
  }

  get isNever(): boolean {
    return this.at === Infinity;
  }

  /** Milliseconds left (0 once expired; Infinity for never). */
  remaining(): number {
    return Math.max(0, this.at - monotonicMs());
  }

  expired(): boolean {
    return monotonicMs() >= this.at;
  }
}

const NEVER = new (Deadline as unknown as new (at: number) => Deadline)(Infinity);
