/**
 * The fuzzers' one source of randomness: SplitMix64 over bigints. Every draw of a run comes from the one seed, so
 * `--seed` replays a run exactly. Bigint draws are uniform (rejection sampling, no modulo bias).
 */
const MASK = (1n << 64n) - 1n;

export class Rng {
  private state: bigint;

  constructor(readonly seed: bigint) {
    this.state = BigInt.asUintN(64, seed);
  }

  /** The next 64 random bits. */
  next64(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  }

  /** Uniform in [0, bound); bound > 0. */
  below(bound: bigint): bigint {
    if (bound <= 0n) throw new RangeError(`Rng.below: bound ${bound} is not positive`);
    const bits = bound.toString(2).length;
    for (;;) {
      let r = 0n;
      for (let got = 0; got < bits; got += 64) r = (r << 64n) | this.next64();
      r = BigInt.asUintN(bits, r);
      if (r < bound) return r;
    }
  }

  /** Uniform in [0, bound) as a number. */
  int(bound: number): number {
    return Number(this.below(BigInt(bound)));
  }

  /** Uniform in [0, 1), 53 bits. */
  float(): number {
    return Number(this.next64() >> 11n) / 2 ** 53;
  }
}
