/** Flights: routes with optional connections, airlines per leg, on-board amenities and paid extras. */
import { connectionHubs, displayName, distanceKm, isDomestic } from "../../places.js";
import type { Rng } from "../../../kit/random.js";
import type { AspectTrip } from "../../trip.js";
import {
  featureTemplate,
  listField,
  numberField,
  ordered,
  orderedPrices,
  recordField,
  round1,
  serviceTemplate,
  type AspectDomain,
  type OptionJson,
  type PrefTemplate,
} from "./types.js";

interface FlightDraft {
  origin: string;
  destination: string;
  directHours: number;
  hubs: string[];
  airlinePool: string[];
  via: string[];
  legs: number[];
  layovers: number[];
  airlines: string[];
  numbers: string[];
  amenities: string[];
  service: Record<string, number>;
  cost: number;
}

const AIRLINE_CODES: Record<string, string> = {
  "United Airlines": "UA",
  "Delta Air Lines": "DL",
  "American Airlines": "AA",
  "Alaska Airlines": "AS",
  JetBlue: "B6",
  "Southwest Airlines": "WN",
  Lufthansa: "LH",
  "British Airways": "BA",
  "Air France": "AF",
  Emirates: "EK",
  "Qatar Airways": "QR",
  "Singapore Airlines": "SQ",
  "Japan Airlines": "JL",
  "Cathay Pacific": "CX",
  "Turkish Airlines": "TK",
  "Korean Air": "KE",
  KLM: "KL",
  Qantas: "QF",
};
const AIRLINES = Object.keys(AIRLINE_CODES);
const DOMESTIC = ["United Airlines", "Delta Air Lines", "American Airlines", "Alaska Airlines", "JetBlue", "Southwest Airlines"];
const INTERNATIONAL = [
  "United Airlines", "Delta Air Lines", "American Airlines", "Lufthansa", "British Airways", "Air France", "Emirates",
  "Qatar Airways", "Singapore Airlines", "Japan Airlines", "Cathay Pacific", "Turkish Airlines", "Korean Air", "KLM", "Qantas",
];

const AMENITIES = ["Wi-Fi", "Power outlets", "Seatback entertainment", "Complimentary meal", "Extra legroom", "Blanket and pillow"];
const SERVICES = ["Checked bag", "Seat selection", "Priority boarding", "Lounge access", "Pet in cabin"];

const NUMBER_WORDS = ["zero", "one", "two", "three", "four"];

interface RouteInfo {
  hours: number;
  hubs: string[];
  airlines: string[];
}

const ROUTES = new Map<string, RouteInfo>();

/** Flying time, connection airports and airlines of a route (cached: every option of a trip shares them). */
function route(origin: string, destination: string): RouteInfo {
  const k = `${origin}|${destination}`;
  let r = ROUTES.get(k);
  if (!r) {
    const km = distanceKm(origin, destination);
    r = { hours: flyingHours(km), hubs: connectionHubs(origin, destination), airlines: isDomestic(origin, destination) ? DOMESTIC : INTERNATIONAL };
    ROUTES.set(k, r);
  }
  return r;
}

const ends = (trip: AspectTrip): [string, string] => [displayName(trip.origin ?? "New York"), displayName(trip.destination ?? "San Francisco")];

function newNumber(rng: Rng, airline: string): string {
  return `${AIRLINE_CODES[airline] ?? "XX"}${rng.int(100, 2999)}`;
}

const flyingHours = (km: number): number => Math.max(1, round1(km / 820 + 0.6));

/** Lay out a route with `stops` connections through hubs on the way; layovers of 0.8–4.5 h. */
function buildRoute(d: FlightDraft, stops: number, rng: Rng): void {
  const via = rng.sample(d.hubs, Math.min(stops, d.hubs.length));
  // Visit the connections in the order that makes the shortest trip.
  via.sort((a, b) => distanceKm(d.origin, a) - distanceKm(d.origin, b));
  d.via = via;
  const stopsOnPath = [d.origin, ...via, d.destination];
  d.legs = stopsOnPath.slice(1).map((to, i) => round1(flyingHours(distanceKm(stopsOnPath[i], to)) * rng.uniform(0.95, 1.08)));
  d.layovers = d.via.map(() => round1(rng.uniform(0.8, 4.5)));
  const main = rng.pick(d.airlinePool);
  d.airlines = d.legs.map(() => (rng.chance(0.75) ? main : rng.pick(d.airlinePool)));
  d.numbers = d.airlines.map((a) => newNumber(rng, a));
}

const layoverTimes = (o: OptionJson): number[] => listField(o, "time").map(Number).filter((_, i) => i % 2 === 1);
const stopsOf = (o: OptionJson): number => Math.max(0, listField(o, "path").length - 2);

const templates: PrefTemplate<FlightDraft>[] = [
  {
    key: "flight.stops",
    slot: "connections",
    stage: 0,
    subcategory: "stops",
    question: "Is a flight with a connection okay for you, or should it be nonstop?",
    values: [0, 1],
    text: (v) => (v === 0 ? "Nonstop flights only" : "At most one stop"),
    implicit: (v) =>
      v === 0
        ? "Every time I've had to change planes something went wrong, so I'd like to get on once and get off where I'm going."
        : "One connection is fine, but running through two or more airports on one trip completely wears me out.",
    test: (o, v) => stopsOf(o) <= Number(v),
    force: (d, want, v, rng) => {
      const max = Number(v);
      if (want && d.via.length > max) buildRoute(d, rng.int(0, max), rng);
      if (!want && d.via.length <= max) buildRoute(d, max + 1, rng);
    },
  },
  {
    key: "flight.layover",
    slot: "connections",
    stage: 0,
    subcategory: "layover",
    question: "How long a layover can you put up with between flights?",
    values: [1, 2, 3],
    text: (v) => `No layover longer than ${v} hour${v === 1 ? "" : "s"}`,
    implicit: (v) =>
      `I get restless fast in airports; waiting more than ${v === 1 ? "an hour" : `${NUMBER_WORDS[Number(v)]} hours`} in a terminal is my limit.`,
    test: (o, v) => layoverTimes(o).every((h) => h <= Number(v)),
    force: (d, want, v, rng) => {
      const max = Number(v);
      if (want) d.layovers = d.layovers.map((h) => (h <= max ? h : round1(rng.uniform(0.5, max))));
      else {
        if (d.via.length === 0) buildRoute(d, 1, rng);
        const i = rng.int(0, d.layovers.length - 1);
        if (d.layovers[i] <= max) d.layovers[i] = round1(rng.uniform(max + 0.5, max + 3.5));
      }
    },
  },
  {
    key: "flight.airline",
    slot: "airline",
    subcategory: "airline",
    question: "Is there an airline you would rather avoid?",
    values: AIRLINES,
    choose: (rng, trip) => rng.pick(route(...ends(trip)).airlines),
    text: (v) => `Avoid ${v}`,
    implicit: (v) => `After the way ${v} treated me on my last trip, I'm not giving them my money again.`,
    test: (o, v) => !listField(o, "company").includes(String(v)),
    force: (d, want, v, rng) => {
      const bad = String(v);
      if (want) {
        const others = d.airlinePool.filter((a) => a !== bad);
        d.airlines = d.airlines.map((a, i) => {
          if (a !== bad) return a;
          const b = rng.pick(others);
          d.numbers[i] = newNumber(rng, b);
          return b;
        });
      } else if (!d.airlines.includes(bad)) {
        const i = rng.int(0, d.airlines.length - 1);
        d.airlines[i] = bad;
        d.numbers[i] = newNumber(rng, bad);
      }
    },
  },
  featureTemplate<FlightDraft>({
    key: "flight.wifi",
    item: "Wi-Fi",
    field: "amenities",
    subcategory: "wifi",
    question: "Do you need Wi-Fi on the plane?",
    text: "Free Wi-Fi on board",
    implicit: "I have to answer work messages the whole way, so I need to stay connected up in the air.",
    list: (d) => d.amenities,
  }),
  featureTemplate<FlightDraft>({
    key: "flight.meal",
    item: "Complimentary meal",
    field: "amenities",
    subcategory: "meal",
    question: "Would you like a meal included on the flight?",
    text: "A free meal on board",
    implicit: "I never manage to eat before a flight, so I count on being fed once we're in the air.",
    list: (d) => d.amenities,
  }),
  featureTemplate<FlightDraft>({
    key: "flight.power",
    item: "Power outlets",
    field: "amenities",
    subcategory: "power outlet",
    question: "Do you need to charge your devices at your seat on the plane?",
    text: "A power outlet at the seat",
    implicit: "My phone and laptop are always nearly dead by the time I board, so I need somewhere to plug them in.",
    list: (d) => d.amenities,
  }),
  featureTemplate<FlightDraft>({
    key: "flight.entertainment",
    item: "Seatback entertainment",
    field: "amenities",
    subcategory: "entertainment",
    question: "Do you care about in-flight entertainment like seatback screens with movies?",
    text: "Seatback entertainment",
    implicit: "Watching films is the only thing that makes a flight bearable for me.",
    list: (d) => d.amenities,
  }),
  featureTemplate<FlightDraft>({
    key: "flight.legroom",
    item: "Extra legroom",
    field: "amenities",
    subcategory: "legroom",
    question: "Do you need a seat with extra legroom on the flight?",
    text: "Extra legroom",
    implicit: "I'm very tall, and a cramped seat leaves my knees aching for days.",
    list: (d) => d.amenities,
  }),
  {
    key: "flight.checked_bag",
    slot: "service:Checked bag",
    subcategory: "checked baggage",
    question: "Will you check a bag on the flight, and should it be included in the fare?",
    values: [null],
    text: () => "A checked bag included for free",
    implicit: () => "I'm bringing a big suitcase, and paying extra just to check it in drives me mad.",
    test: (o) => recordField(o, "service")["Checked bag"] === 0,
    force: (d, want, _v, rng) => {
      d.service["Checked bag"] = want ? 0 : rng.int(30, 70);
    },
  },
  serviceTemplate<FlightDraft>({
    key: "flight.pet",
    name: "Pet in cabin",
    subcategory: "pet",
    question: "Are you bringing a pet on the flight?",
    text: "Allows a pet in the cabin",
    implicit: "My little dog goes everywhere with me, and she's not riding in the cargo hold.",
    price: [90, 150],
    service: (d) => d.service,
  }),
];

export const flightDomain: AspectDomain<FlightDraft> = {
  aspect: "flight",
  templates,
  draft(rng, trip) {
    const [origin, destination] = ends(trip);
    const r = route(origin, destination);
    const d: FlightDraft = {
      origin,
      destination,
      directHours: r.hours,
      hubs: r.hubs,
      airlinePool: r.airlines,
      via: [],
      legs: [],
      layovers: [],
      airlines: [],
      numbers: [],
      amenities: AMENITIES.filter(() => rng.chance(0.45)),
      service: {},
      cost: 0,
    };
    const u = rng.next();
    buildRoute(d, u < 0.4 ? 0 : u < 0.85 ? 1 : 2, rng);
    d.service["Checked bag"] = rng.chance(0.3) ? 0 : rng.int(30, 70);
    if (rng.chance(0.6)) d.service["Seat selection"] = rng.int(15, 45);
    if (rng.chance(0.4)) d.service["Priority boarding"] = rng.int(20, 50);
    if (rng.chance(0.2)) d.service["Lounge access"] = rng.int(40, 80);
    if (rng.chance(0.3)) d.service["Pet in cabin"] = rng.int(90, 150);
    d.cost = rng.uniform(...this.priceRange(trip));
    return d;
  },
  render(d, id) {
    const time: number[] = [];
    d.legs.forEach((h, i) => {
      time.push(h);
      if (i < d.layovers.length) time.push(d.layovers[i]);
    });
    return {
      id,
      path: [d.origin, ...d.via, d.destination],
      time,
      company: [...d.airlines],
      flight_number: [...d.numbers],
      cost: Math.round(d.cost),
      amenities: ordered(d.amenities, AMENITIES),
      service: orderedPrices(d.service, SERVICES),
    };
  },
  price: (o) => numberField(o, "cost"),
  scale(d, f) {
    d.cost *= f;
  },
  priceRange(trip) {
    const base = 90 + 55 * route(...ends(trip)).hours;
    return [base * 0.75, base * 1.6];
  },
};
