/**
 * A tau-bench domain as the gym uses it: the pristine database tables (loaded and frozen once per
 * process and data store), the tools, the `[search] tools` listing, and the
 * ground-truth database of each task (the pristine one after replaying the task's actions), cached.
 */
import { pyJsonLoads } from "../../core/py-json.js";
import type { DataStore } from "../../data/store.js";
import { TauDb, type DbState, type Tables } from "./db.js";
import { isDict } from "./pyvalue.js";
import { AIRLINE_TOOLS } from "./tools/airline.js";
import { TRANSFER_TOOL } from "./tools/common.js";
import { RETAIL_TOOLS } from "./tools/retail.js";
import { callTool, toolsListing, type Domain, type TauTool } from "./tools/tool.js";

export interface TauAction {
  name: string;
  kwargs: Record<string, unknown>;
}

export interface GroundTruth {
  /** The database after every ground-truth action (tau-bench skips the terminating tool). */
  final: DbState;
  /** The database after the first k write actions, k = 0…writes.length (prefix[0] is pristine). */
  prefixes: DbState[];
  /** The ground-truth actions that write, in order. */
  writes: TauAction[];
}

export interface DomainData {
  domain: Domain;
  pristine: Tables;
  tools: readonly TauTool[];
  toolsByName: ReadonlyMap<string, TauTool>;
  listing: string;
  /** Ground truth per task key, computed on first use. */
  groundTruth(key: string, actions: readonly TauAction[]): GroundTruth;
}

const TABLES: Record<Domain, readonly string[]> = {
  retail: ["orders", "products", "users"],
  airline: ["flights", "reservations", "users"],
};

/** Tables whose key order matters for output and that hold integer-like keys JSON.parse would reorder. */
const ORDER_PRESERVING = new Set(["retail/products"]);
/** A number JSON.parse would misread as an int: an integral float (`46.0`) or one with an exponent. */
const FLOAT_LITERAL = /[:,[] *-?\d+(?:\.\d+)?[eE]|[:,[] *-?\d+\.0+ *[\],}]/;

/** tau-bench's terminating tools: calling one ends the episode. */
const TERMINATING = new Set([TRANSFER_TOOL]);

function deepFreeze(v: unknown): void {
  if (typeof v !== "object" || v === null || Object.isFrozen(v)) return;
  if (v instanceof Map) for (const x of v.values()) deepFreeze(x);
  else for (const x of Object.values(v)) deepFreeze(x);
  Object.freeze(v);
}

async function loadTable(data: DataStore, domain: Domain, name: string): Promise<Map<string, unknown>> {
  const key = `tau-bench/${domain}/${name}.json`;
  // The exact parser keeps Python's int/float distinction and key order; JSON.parse is faster where it loses neither.
  const parsed = await data.parsed(key, "tau-table", (text) =>
    ORDER_PRESERVING.has(`${domain}/${name}`) || FLOAT_LITERAL.test(text) ? pyJsonLoads(text) : JSON.parse(text),
  );
  if (!isDict(parsed)) throw new Error(`${key} is not a JSON object of records`);
  const table = new Map(parsed instanceof Map ? parsed : Object.entries(parsed));
  // The pristine records are shared by every episode: freezing makes an accidental write fail loudly.
  for (const record of table.values()) deepFreeze(record);
  return table;
}

function groundTruthOf(domain: Domain, pristine: Tables, toolsByName: ReadonlyMap<string, TauTool>, actions: readonly TauAction[]): GroundTruth {
  const db = new TauDb(pristine);
  const prefixes: DbState[] = [db.snapshot()];
  const writes: TauAction[] = [];
  for (const action of actions) {
    // Only writes change the database (tau-bench also replays reads, and skips the terminating tool).
    const tool = toolsByName.get(action.name);
    if (!tool?.writes) continue;
    callTool(domain, tool, db, action.kwargs);
    writes.push(action);
    prefixes.push(db.snapshot());
  }
  return { final: prefixes[prefixes.length - 1], prefixes, writes };
}

async function loadDomain(data: DataStore, domain: Domain): Promise<DomainData> {
  const pristine: Record<string, ReadonlyMap<string, unknown>> = {};
  for (const name of TABLES[domain]) pristine[name] = await loadTable(data, domain, name);
  const tools = domain === "retail" ? RETAIL_TOOLS : AIRLINE_TOOLS;
  const toolsByName = new Map(tools.map((t) => [t.name, t]));
  const cache = new Map<string, GroundTruth>();
  return {
    domain,
    pristine,
    tools,
    toolsByName,
    listing: toolsListing(tools),
    groundTruth(key, actions) {
      let gt = cache.get(key);
      if (!gt) {
        gt = groundTruthOf(domain, pristine, toolsByName, actions);
        cache.set(key, gt);
      }
      return gt;
    },
  };
}

const loaded = new WeakMap<DataStore, Map<Domain, Promise<DomainData>>>();

/** The domain's data, loaded once per data store (a failed load is forgotten, so it can be retried). */
export function domainData(data: DataStore, domain: Domain): Promise<DomainData> {
  let byDomain = loaded.get(data);
  if (!byDomain) {
    byDomain = new Map();
    loaded.set(data, byDomain);
  }
  let p = byDomain.get(domain);
  if (!p) {
    p = loadDomain(data, domain);
    byDomain.set(domain, p);
    p.catch(() => byDomain!.delete(domain));
  }
  return p;
}

export function isTerminating(name: string): boolean {
  return TERMINATING.has(name);
}
