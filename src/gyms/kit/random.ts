/**
 * The gyms' seeded PRNG. Node's Math.random cannot be seeded, and a gym's promise is "same seed → identical
 * output" on every platform (TravelGym's generator and episodes, offline users), so everything random in a gym
 * draws from here. Streams are named (`fork`), so adding a draw in one place does not shift another.
 */
import { fnv1a32 } from "./hash.js";

/** 32-bit FNV-1a followed by a murmur3 finaliser: a well-mixed seed from any string. */
export function hashSeed(text: string): number {
  return mix(fnv1a32(text));
}

/** A murmur3 finaliser: spreads the bits of a 32-bit integer. */
function mix(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** sfc32 (small fast counter): 128-bit state, passes PractRand far beyond what the generator needs. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The stream's identity (from its label), from which named sub-streams are derived. */
  private readonly id: number;

  constructor(label: string, id = hashSeed(label)) {
    this.id = id;
    this.a = id;
    this.b = mix(id ^ 0x9e3779b9);
    this.c = mix(id ^ 0x7f4a7c15);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An independent stream for a named purpose (depends on this stream's label and the name, not on its draws). */
  fork(name: string): Rng {
    return new Rng("", mix(Math.imul(this.id, 0x27d4eb2d) ^ hashSeed(name)));
  }

  /** An integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  uniform(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Rng.pick: empty list");
    return items[Math.floor(this.next() * items.length)];
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** `k` distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items).slice(0, k);
  }
}
