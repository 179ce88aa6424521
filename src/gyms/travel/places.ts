/**
 * Places TravelGym knows: the cities its first user messages mention (with aliases and approximate
 * coordinates, used for plausible flight times), the regions that may follow a city ("Austin, Texas"),
 * and matching of place names in free text.
 */

interface City {
  name: string;
  lat: number;
  lon: number;
  /** Other ways people write it (lowercase). */
  aliases?: string[];
}

const CITIES: City[] = [
  { name: "New York", lat: 40.71, lon: -74.01, aliases: ["new york city", "nyc", "jfk", "laguardia", "newark", "manhattan"] },
  { name: "Los Angeles", lat: 34.05, lon: -118.24, aliases: ["la", "lax"] },
  { name: "San Francisco", lat: 37.77, lon: -122.42, aliases: ["sf", "sfo"] },
  { name: "Tokyo", lat: 35.68, lon: 139.69, aliases: ["narita", "haneda"] },
  { name: "Austin", lat: 30.27, lon: -97.74 },
  { name: "Paris", lat: 48.86, lon: 2.35, aliases: ["cdg"] },
  { name: "Barcelona", lat: 41.39, lon: 2.17 },
  { name: "Sydney", lat: -33.87, lon: 151.21 },
  { name: "Denver", lat: 39.74, lon: -104.99 },
  { name: "Rome", lat: 41.9, lon: 12.5 },
  { name: "San Diego", lat: 32.72, lon: -117.16 },
  { name: "Dubai", lat: 25.2, lon: 55.27 },
  { name: "Bangkok", lat: 13.76, lon: 100.5 },
  { name: "Seattle", lat: 47.61, lon: -122.33 },
  { name: "Honolulu", lat: 21.31, lon: -157.86 },
  { name: "Hong Kong", lat: 22.32, lon: 114.17 },
  { name: "Athens", lat: 37.98, lon: 23.73 },
  { name: "Istanbul", lat: 41.01, lon: 28.98 },
  { name: "Singapore", lat: 1.35, lon: 103.82 },
  { name: "Chicago", lat: 41.88, lon: -87.63, aliases: ["o'hare"] },
  { name: "Vienna", lat: 48.21, lon: 16.37 },
  { name: "Portland", lat: 45.52, lon: -122.68 },
  { name: "Miami", lat: 25.76, lon: -80.19 },
  { name: "New Orleans", lat: 29.95, lon: -90.07 },
  { name: "Bali", lat: -8.34, lon: 115.09, aliases: ["denpasar"] },
  { name: "Charleston", lat: 32.78, lon: -79.93 },
  { name: "Florence", lat: 43.77, lon: 11.26 },
  { name: "Zurich", lat: 47.38, lon: 8.54 },
  { name: "Incheon", lat: 37.46, lon: 126.71 },
  { name: "Seoul", lat: 37.57, lon: 126.98 },
  { name: "Doha", lat: 25.29, lon: 51.53 },
  { name: "Frankfurt", lat: 50.11, lon: 8.68 },
  { name: "Asheville", lat: 35.6, lon: -82.55 },
  { name: "Taipei", lat: 25.03, lon: 121.57 },
  { name: "Santa Monica", lat: 34.02, lon: -118.49 },
  { name: "Munich", lat: 48.14, lon: 11.58 },
  { name: "Lisbon", lat: 38.72, lon: -9.14 },
  { name: "Phoenix", lat: 33.45, lon: -112.07 },
  { name: "Vancouver", lat: 49.28, lon: -123.12 },
  { name: "Boston", lat: 42.36, lon: -71.06 },
  { name: "London", lat: 51.51, lon: -0.13, aliases: ["heathrow"] },
  { name: "Beijing", lat: 39.9, lon: 116.41 },
  { name: "Reykjavik", lat: 64.15, lon: -21.94 },
  { name: "Aspen", lat: 39.19, lon: -106.82 },
  { name: "Napa Valley", lat: 38.3, lon: -122.29, aliases: ["napa"] },
  { name: "Las Vegas", lat: 36.17, lon: -115.14, aliases: ["vegas"] },
  { name: "Kuala Lumpur", lat: 3.14, lon: 101.69 },
  { name: "Kyoto", lat: 35.01, lon: 135.77 },
  { name: "Ho Chi Minh City", lat: 10.82, lon: 106.63, aliases: ["saigon"] },
  { name: "Atlanta", lat: 33.75, lon: -84.39 },
  { name: "Charlotte", lat: 35.23, lon: -80.84 },
  { name: "Orlando", lat: 28.54, lon: -81.38 },
  { name: "Nashville", lat: 36.16, lon: -86.78 },
  { name: "Santorini", lat: 36.39, lon: 25.46 },
  { name: "Dubrovnik", lat: 42.65, lon: 18.09 },
  { name: "Berlin", lat: 52.52, lon: 13.4 },
  { name: "Melbourne", lat: -37.81, lon: 144.96 },
  { name: "Cape Town", lat: -33.92, lon: 18.42 },
  { name: "Santa Barbara", lat: 34.42, lon: -119.7 },
  { name: "Chiang Mai", lat: 18.79, lon: 98.98 },
  { name: "Hanoi", lat: 21.03, lon: 105.85 },
  { name: "Geneva", lat: 46.2, lon: 6.14 },
  { name: "Kathmandu", lat: 27.72, lon: 85.32 },
  { name: "Boulder", lat: 40.01, lon: -105.27 },
  { name: "Mexico City", lat: 19.43, lon: -99.13 },
  { name: "Houston", lat: 29.76, lon: -95.37 },
  { name: "Cancun", lat: 21.16, lon: -86.85 },
  { name: "Dallas", lat: 32.78, lon: -96.8 },
  { name: "Santa Fe", lat: 35.69, lon: -105.94 },
  { name: "Lake Tahoe", lat: 39.1, lon: -120.03, aliases: ["tahoe"] },
  { name: "Amsterdam", lat: 52.37, lon: 4.9 },
  { name: "Innsbruck", lat: 47.27, lon: 11.4 },
  { name: "Washington", lat: 38.91, lon: -77.04, aliases: ["washington dc", "washington d.c.", "dc"] },
  { name: "Toronto", lat: 43.65, lon: -79.38 },
  { name: "Montreal", lat: 45.5, lon: -73.57 },
  { name: "Madrid", lat: 40.42, lon: -3.7 },
  { name: "Venice", lat: 45.44, lon: 12.32 },
  { name: "Milan", lat: 45.46, lon: 9.19 },
  { name: "Prague", lat: 50.08, lon: 14.44 },
  { name: "Dublin", lat: 53.35, lon: -6.26 },
  { name: "Edinburgh", lat: 55.95, lon: -3.19 },
  { name: "Copenhagen", lat: 55.68, lon: 12.57 },
  { name: "Osaka", lat: 34.69, lon: 135.5 },
  { name: "Maui", lat: 20.8, lon: -156.33 },
  { name: "Philadelphia", lat: 39.95, lon: -75.17 },
  { name: "Salt Lake City", lat: 40.76, lon: -111.89 },
  { name: "Minneapolis", lat: 44.98, lon: -93.27 },
  { name: "San Jose", lat: 37.34, lon: -121.89 },
  { name: "Auckland", lat: -36.85, lon: 174.76 },
  { name: "Mumbai", lat: 19.08, lon: 72.88 },
  { name: "Delhi", lat: 28.61, lon: 77.21, aliases: ["new delhi"] },
  { name: "Cairo", lat: 30.04, lon: 31.24 },
  { name: "Rio de Janeiro", lat: -22.91, lon: -43.17, aliases: ["rio"] },
  { name: "Buenos Aires", lat: -34.6, lon: -58.38 },
];

/** Regions that may follow a city name after a comma; they are part of the place, not another place. */
const REGIONS = new Set(
  [
    "texas", "colorado", "california", "hawaii", "oregon", "arizona", "south carolina", "north carolina", "nc", "sc",
    "florida", "nevada", "new mexico", "louisiana", "tennessee", "georgia", "washington", "massachusetts", "illinois",
    "utah", "new york", "ca", "tx", "co", "usa", "us", "japan", "italy", "greece", "spain", "austria", "australia",
    "turkey", "thailand", "france", "germany", "switzerland", "portugal", "indonesia", "vietnam", "china", "korea",
    "south korea", "taiwan", "croatia", "iceland", "mexico", "canada", "uk", "england", "netherlands", "uae",
    "qatar", "malaysia", "nepal", "south africa",
  ],
);

const BY_KEY = new Map<string, City>();
for (const c of CITIES) {
  BY_KEY.set(c.name.toLowerCase(), c);
  for (const a of c.aliases ?? []) BY_KEY.set(a, c);
}

/** Every known name, longest first so "New York City" wins over "New York". */
const KNOWN_RE = new RegExp(
  `(?<![A-Za-z])(?:${[...BY_KEY.keys()]
    .sort((a, b) => b.length - a.length)
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("|")})(?![A-Za-z])`,
  "gi",
);

const KEYS = new Map<string, string>();

/** The canonical key of a place name: "New York City", "NYC" and "JFK" all give "new york". */
export function placeKey(name: string): string {
  let key = KEYS.get(name);
  if (key === undefined) {
    const k = name.trim().toLowerCase().replace(/[.,]+$/, "");
    const city = BY_KEY.get(k) ?? BY_KEY.get(k.replace(/,.*$/, "").trim());
    key = city ? city.name.toLowerCase() : k.replace(/,.*$/, "").trim();
    if (KEYS.size < 10_000) KEYS.set(name, key);
  }
  return key;
}

export function isKnownPlace(name: string): boolean {
  return BY_KEY.has(name.trim().toLowerCase());
}

/** Great-circle distance in km between two places (an unknown place gets a stable made-up distance). */
export function distanceKm(a: string, b: string): number {
  const ca = BY_KEY.get(placeKey(a));
  const cb = BY_KEY.get(placeKey(b));
  if (!ca || !cb) return 1500 + ((placeKey(a).length * 997 + placeKey(b).length * 613) % 6000);
  const rad = Math.PI / 180;
  const dLat = (cb.lat - ca.lat) * rad;
  const dLon = (cb.lon - ca.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(ca.lat * rad) * Math.cos(cb.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Cities in the United States (domestic routes fly domestic airlines through domestic hubs). */
const US = new Set(
  [
    "New York", "Los Angeles", "San Francisco", "Austin", "Denver", "San Diego", "Seattle", "Honolulu", "Chicago", "Portland",
    "Miami", "New Orleans", "Charleston", "Asheville", "Santa Monica", "Phoenix", "Boston", "Aspen", "Napa Valley", "Las Vegas",
    "Atlanta", "Charlotte", "Orlando", "Nashville", "Santa Barbara", "Boulder", "Houston", "Dallas", "Santa Fe", "Lake Tahoe",
    "Washington", "Maui", "Philadelphia", "Salt Lake City", "Minneapolis", "San Jose",
  ].map((n) => n.toLowerCase()),
);

export function isDomestic(a: string, b: string): boolean {
  return US.has(placeKey(a)) && US.has(placeKey(b));
}

/** Airports used for connections. */
const HUBS_US = ["Chicago", "Dallas", "Denver", "Atlanta", "Houston", "Phoenix", "Seattle", "Salt Lake City", "Minneapolis", "Charlotte", "Los Angeles", "San Francisco"];
const HUBS_WORLD = ["London", "Frankfurt", "Dubai", "Doha", "Istanbul", "Amsterdam", "Paris", "Tokyo", "Seoul", "Hong Kong", "Singapore", "Taipei", "Munich", "Zurich", "Madrid"];

/**
 * Plausible connection airports for a route (never its ends): hubs that add at most 30% to the distance,
 * or the three that add the least.
 */
export function connectionHubs(origin: string, destination: string): string[] {
  const ends = new Set([placeKey(origin), placeKey(destination)]);
  const pool = (isDomestic(origin, destination) ? HUBS_US : [...HUBS_WORLD, ...HUBS_US]).filter((h) => !ends.has(placeKey(h)));
  const direct = Math.max(1, distanceKm(origin, destination));
  const detour = pool.map((h) => ({ h, r: (distanceKm(origin, h) + distanceKm(h, destination)) / direct })).sort((a, b) => a.r - b.r);
  const near = detour.filter((x) => x.r <= 1.3).map((x) => x.h);
  return near.length >= 3 ? near : detour.slice(0, 3).map((x) => x.h);
}

export interface PlaceMention {
  /** The name as written (with its region, if one follows: "Austin, Texas"). */
  text: string;
  key: string;
  start: number;
  end: number;
}

/**
 * Places named in a text: every known city or alias (case-insensitive for names, exact case for short
 * all-caps aliases like "LA"), plus a capitalised phrase after "to", "in" or "from" that is not a known word.
 */
export function findPlaces(text: string): PlaceMention[] {
  const taken = new Array<boolean>(text.length).fill(false);
  const out: PlaceMention[] = [];
  KNOWN_RE.lastIndex = 0;
  for (let m = KNOWN_RE.exec(text); m; m = KNOWN_RE.exec(text)) {
    const name = m[0].toLowerCase();
    if (name.length <= 3 && m[0] !== name.toUpperCase()) continue; // "la", "dc", "sf": only as LA, DC, SF
    const start = m.index;
    const end = start + m[0].length;
    for (let k = start; k < end; k++) taken[k] = true;
    out.push(withRegion(text, { text: m[0], key: placeKey(name), start, end }));
  }
  // Unknown places: a capitalised phrase right after a preposition of place.
  const re = /\b(?:to|in|from|at|visit|visiting)\s+((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+){0,2})/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length - m[1].length;
    const end = start + m[1].length;
    if (taken.slice(start, end).some(Boolean)) continue;
    if (MONTHS.includes(m[1].split(/\s+/)[0].toLowerCase())) continue;
    if (NOT_PLACES.has(m[1].split(/\s+/)[0].toLowerCase())) continue;
    for (let k = start; k < end; k++) taken[k] = true;
    out.push(withRegion(text, { text: m[1], key: m[1].toLowerCase(), start, end }));
  }
  return out.sort((a, b) => a.start - b.start);
}

const NOT_PLACES = new Set(["the", "a", "an", "my", "our", "this", "that", "upon", "i", "additionally", "once", "during", "after"]);

export const MONTHS = [
  "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
];

/** Extend a mention over a following ", Region" ("Austin, Texas"). */
function withRegion(text: string, m: PlaceMention): PlaceMention {
  const rest = /^,\s*([A-Za-z][A-Za-z. ]*?)(?=[,.;]|\s+(?:from|on|to|and|for|with|in|during|where|staying|I)\b|$)/.exec(text.slice(m.end));
  if (rest && REGIONS.has(rest[1].trim().toLowerCase())) {
    const end = m.end + rest[0].length;
    return { ...m, text: text.slice(m.start, end), end };
  }
  return m;
}

/** The usual name of a place ("NYC", "New York City" → "New York"; unknown places as written, without a region). */
export function displayName(name: string): string {
  const city = BY_KEY.get(placeKey(name));
  return city ? city.name : name.replace(/,.*$/, "").trim();
}
