/**
 * A tau-bench database for one episode, copy-on-write over the domain's pristine tables.
 *
 * The pristine tables are loaded once per process and never written. An episode's database keeps, per
 * table, only the records it changed (an overlay); the first write to a record deep-copies that one
 * record. So a fresh database costs nothing, a write costs one small record copy, concurrent episodes
 * never see each other's writes, and a snapshot (for the reward or the scripted customer) copies only
 * the overlay index: after a snapshot the next write to a record copies it again, so snapshots never change.
 */
import { deepCopy, sameHashable } from "./pyvalue.js";

/** Tables by name (`orders`, `products`, `users` / `flights`, `reservations`, `users`), each id → record. */
export type Tables = Readonly<Record<string, ReadonlyMap<string, unknown>>>;

/** An immutable database state: the pristine tables plus the records that differ from them. */
export interface DbState {
  readonly pristine: Tables;
  readonly changes: Readonly<Record<string, ReadonlyMap<string, unknown>>>;
}

const NO_CHANGES: ReadonlyMap<string, unknown> = new Map();

/**
 * A table as the tools see it (Python's `data["orders"]`): the pristine records with the episode's
 * changed ones on top. It is a Map, so the Python-semantics helpers treat it as a dict; it is read-only.
 */
class OverlayTable extends Map<string, unknown> {
  constructor(
    private readonly base: ReadonlyMap<string, unknown>,
    private readonly over: ReadonlyMap<string, unknown>,
  ) {
    super();
  }
  override get(key: string): unknown {
    return this.over.has(key) ? this.over.get(key) : this.base.get(key);
  }
  override has(key: string): boolean {
    return this.over.has(key) || this.base.has(key);
  }
  override get size(): number {
    let added = 0;
    for (const k of this.over.keys()) if (!this.base.has(k)) added++;
    return this.base.size + added;
  }
  override *entries(): MapIterator<[string, unknown]> {
    for (const [k, v] of this.base) yield [k, this.over.has(k) ? this.over.get(k) : v];
    for (const [k, v] of this.over) if (!this.base.has(k)) yield [k, v];
  }
  override [Symbol.iterator](): MapIterator<[string, unknown]> {
    return this.entries();
  }
  override *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }
  override *values(): MapIterator<unknown> {
    for (const [, v] of this.entries()) yield v;
  }
  override forEach(fn: (value: unknown, key: string, map: Map<string, unknown>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
  override set(): this {
    throw new Error("tau database tables are read-only views; write through TauDb.edit/put");
  }
  override delete(): boolean {
    throw new Error("tau database tables are read-only views");
  }
}

export class TauDb {
  /** Per table: the records this database changed or added. */
  private readonly over: Record<string, Map<string, unknown>> = {};
  /** Per table: the changed records this database may still modify in place (not shared with a snapshot). */
  private readonly owned: Record<string, Set<string>> = {};
  private readonly views: Record<string, OverlayTable> = {};

  constructor(readonly pristine: Tables) {
    for (const name of Object.keys(pristine)) {
      this.over[name] = new Map();
      this.owned[name] = new Set();
      this.views[name] = new OverlayTable(pristine[name], this.over[name]);
    }
  }

  /** A table for reading; write through {@link edit} / {@link put}. */
  table(name: string): ReadonlyMap<string, unknown> {
    const t = this.views[name];
    if (!t) throw new Error(`tau database has no table "${name}"`);
    return t;
  }

  /** The record `table[key]`, private to this database from now on and safe to modify in place. */
  edit(name: string, key: string): Record<string, unknown> {
    const view = this.views[name];
    if (!view) throw new Error(`tau database has no table "${name}"`);
    if (!this.owned[name].has(key)) {
      if (!view.has(key)) throw new Error(`tau database: no record "${key}" in table "${name}"`);
      this.over[name].set(key, deepCopy(view.get(key)));
      this.owned[name].add(key);
    }
    return this.over[name].get(key) as Record<string, unknown>;
  }

  /** Insert (or replace) a record, owned by this database. */
  put(name: string, key: string, value: unknown): void {
    if (!this.views[name]) throw new Error(`tau database has no table "${name}"`);
    this.over[name].set(key, value);
    this.owned[name].add(key);
  }

  /** The current state; later writes copy records again, so the snapshot stays as it is. */
  snapshot(): DbState {
    const changes: Record<string, ReadonlyMap<string, unknown>> = {};
    for (const [name, over] of Object.entries(this.over)) {
      changes[name] = over.size === 0 ? NO_CHANGES : new Map(over);
      this.owned[name].clear();
    }
    return { pristine: this.pristine, changes };
  }
}

function recordOf(state: DbState, table: string, key: string): unknown {
  const changed = state.changes[table];
  return changed?.has(key) ? changed.get(key) : state.pristine[table]?.get(key);
}

function hasRecord(state: DbState, table: string, key: string): boolean {
  return state.changes[table]?.has(key) === true || state.pristine[table]?.has(key) === true;
}

/**
 * Whether two database states would give the same tau-bench data hash. Over the same pristine tables
 * only the records either side changed can differ, so only those are compared.
 */
export function sameData(a: DbState, b: DbState): boolean {
  const names = new Set([...Object.keys(a.pristine), ...Object.keys(b.pristine)]);
  for (const name of names) {
    const keys =
      a.pristine === b.pristine
        ? new Set([...(a.changes[name]?.keys() ?? []), ...(b.changes[name]?.keys() ?? [])])
        : new Set([...(a.pristine[name]?.keys() ?? []), ...(b.pristine[name]?.keys() ?? []), ...(a.changes[name]?.keys() ?? []), ...(b.changes[name]?.keys() ?? [])]);
    for (const key of keys) {
      if (hasRecord(a, name, key) !== hasRecord(b, name, key)) return false;
      const va = recordOf(a, name, key);
      const vb = recordOf(b, name, key);
      if (va !== vb && !sameHashable(va, vb)) return false;
    }
  }
  return true;
}
