/** Hotels: room types with their own prices, a guest rating, free facilities and paid extras. */
import { displayName } from "../../places.js";
import {
  featureTemplate,
  listField,
  ordered,
  orderedPrices,
  randomExtras,
  ratingTemplate,
  round1,
  serviceTemplate,
  stayPriceRange,
  uniqueName,
  type AspectDomain,
  type OptionJson,
  type PrefSpec,
  type PrefTemplate,
} from "./types.js";

interface Room {
  type: string;
  capacity: number;
  /** Price relative to the hotel's base room. */
  mult: number;
}

interface HotelDraft {
  name: string;
  rooms: Room[];
  /** The base room's price for the whole stay. */
  base: number;
  rating: number;
  amenities: string[];
  service: Record<string, number>;
}

const ROOMS: Room[] = [
  { type: "Single Room", capacity: 1, mult: 0.8 },
  { type: "Standard Queen", capacity: 2, mult: 1 },
  { type: "Standard King", capacity: 2, mult: 1.1 },
  { type: "Deluxe King", capacity: 2, mult: 1.3 },
  { type: "Junior Suite", capacity: 3, mult: 1.6 },
  { type: "Double Queen", capacity: 4, mult: 1.4 },
  { type: "Family Room", capacity: 4, mult: 1.55 },
  { type: "Suite", capacity: 4, mult: 2.1 },
];

const AMENITIES = ["Free Wi-Fi", "Fitness center", "Swimming pool", "Free breakfast", "Free parking", "Spa", "Pet-friendly", "Business center", "Rooftop bar"];
const SERVICES = ["Airport shuttle", "Laundry", "Room service", "Late checkout", "Valet parking"];

const PREFIX = ["Grand", "Harbor", "Park", "Royal", "Metro", "Azure", "Golden", "Cedar", "Union", "Riverside", "Skyline", "Bayview", "Summit", "Crescent", "Lantern", "Beacon", "Willow", "Emerald", "Maple", "Silver"];
const NOUN = ["Plaza", "Palace", "Suites", "Inn", "House", "Lodge", "Court", "Tower", "Residences", "Gardens"];

const roomLabel = (r: Room): string => `${r.type} (sleeps ${r.capacity})`;
const roomCapacity = (label: string): number => Number(/sleeps (\d+)/.exec(label)?.[1] ?? 0);

function setRooms(d: HotelDraft, rooms: Room[]): void {
  d.rooms = [...rooms].sort((a, b) => a.mult - b.mult);
}

const templates: PrefTemplate<HotelDraft>[] = [
  ratingTemplate<HotelDraft>({
    key: "hotel.rating",
    values: [7.5, 8, 8.5, 9],
    question: "How well rated does the hotel need to be?",
    text: (v) => `Hotel rating of at least ${v}`,
    implicit: (v) => `I've learned not to trust places guests don't love; a hotel rated under ${v} out of 10 makes me nervous.`,
    rating: (d, set) => (set === undefined ? d.rating : (d.rating = set)),
  }),
  {
    key: "hotel.room_size",
    slot: "rooms",
    subcategory: "guests per room",
    question: "How many people will share the hotel room?",
    values: [3, 4],
    text: (v) => `A room that sleeps at least ${v}`,
    implicit: (v) =>
      v === 3
        ? "My sister is coming along, so three of us will be sharing one room."
        : "We're a family of four and we'd like to stay together in one room.",
    test: (o, v) => listField(o, "room").some((r) => roomCapacity(r) >= Number(v)),
    force: (d, want, v, rng) => {
      const need = Number(v);
      if (want && !d.rooms.some((r) => r.capacity >= need)) setRooms(d, [...d.rooms, rng.pick(ROOMS.filter((r) => r.capacity >= need))]);
      if (!want) {
        const small = d.rooms.filter((r) => r.capacity < need);
        setRooms(d, small.length ? small : [rng.pick(ROOMS.filter((r) => r.capacity === 2))]);
      }
    },
  },
  featureTemplate<HotelDraft>({
    key: "hotel.gym",
    item: "Fitness center",
    field: "amenities",
    subcategory: "fitness center",
    question: "Do you need a gym or fitness center at the hotel?",
    text: "Has a fitness center",
    implicit: "My day doesn't really start until I've done my morning workout, travel or not.",
    list: (d) => d.amenities,
  }),
  featureTemplate<HotelDraft>({
    key: "hotel.pool",
    item: "Swimming pool",
    field: "amenities",
    subcategory: "swimming pool",
    question: "Would you like the hotel to have a swimming pool?",
    text: "Has a swimming pool",
    implicit: "Nothing relaxes me like swimming a few laps at the end of the day.",
    list: (d) => d.amenities,
  }),
  featureTemplate<HotelDraft>({
    key: "hotel.breakfast",
    item: "Free breakfast",
    field: "amenities",
    subcategory: "breakfast",
    question: "Should breakfast be included at the hotel?",
    text: "Breakfast included",
    implicit: "I'm useless until I've eaten in the morning, and I don't want to hunt for food or pay extra for it every day.",
    list: (d) => d.amenities,
  }),
  featureTemplate<HotelDraft>({
    key: "hotel.parking",
    item: "Free parking",
    field: "amenities",
    subcategory: "parking",
    question: "Do you need parking at the hotel?",
    text: "Free parking",
    implicit: "I'll have a car with me, and I refuse to pay to park it every single night.",
    list: (d) => d.amenities,
  }),
  featureTemplate<HotelDraft>({
    key: "hotel.wifi",
    item: "Free Wi-Fi",
    field: "amenities",
    subcategory: "wifi",
    question: "Do you need free Wi-Fi in the hotel?",
    text: "Free Wi-Fi",
    implicit: "I'll be on video calls from my room most evenings.",
    list: (d) => d.amenities,
  }),
  featureTemplate<HotelDraft>({
    key: "hotel.spa",
    item: "Spa",
    field: "amenities",
    subcategory: "spa",
    question: "Would you like a spa at the hotel?",
    text: "Has a spa",
    implicit: "A massage after a long day of sightseeing is how I unwind.",
    list: (d) => d.amenities,
  }),
  featureTemplate<HotelDraft>({
    key: "hotel.pets",
    item: "Pet-friendly",
    field: "amenities",
    subcategory: "pets",
    question: "Are you bringing a pet to the hotel?",
    text: "Pet-friendly",
    implicit: "My dog is coming with me, and she sleeps wherever I sleep.",
    list: (d) => d.amenities,
  }),
  serviceTemplate<HotelDraft>({
    key: "hotel.shuttle",
    name: "Airport shuttle",
    subcategory: "airport shuttle",
    question: "Do you need a shuttle between the airport and the hotel?",
    text: "Offers an airport shuttle",
    implicit: "After a long flight, the last thing I want is to fight over taxis to get to my bed.",
    price: [15, 40],
    service: (d) => d.service,
  }),
  serviceTemplate<HotelDraft>({
    key: "hotel.laundry",
    name: "Laundry",
    subcategory: "laundry",
    question: "Will you need laundry service at the hotel?",
    text: "Offers laundry service",
    implicit: "I'm packing light, so I'll need my clothes washed halfway through the stay.",
    price: [10, 30],
    service: (d) => d.service,
  }),
];

/** The room the guests would book: the cheapest that fits the party the preferences describe. */
function partySize(prefs: readonly PrefSpec[]): number {
  const p = prefs.find((x) => x.template === "hotel.room_size");
  return p ? Number(p.value) : 1;
}

export const hotelDomain: AspectDomain<HotelDraft> = {
  aspect: "hotel",
  templates,
  draft(rng, trip, names) {
    const city = displayName(trip.location ?? "");
    const name = uniqueName(names, () => {
      const p = rng.pick(PREFIX);
      const form = rng.int(0, 2);
      return form === 0 ? `The ${p} ${rng.pick(NOUN)}` : form === 1 ? `${p} ${city || rng.pick(NOUN)} Hotel` : `${p} ${rng.pick(NOUN)} Hotel`;
    });
    const d: HotelDraft = {
      name,
      rooms: [],
      base: 0,
      rating: round1(rng.uniform(6.5, 9.6)),
      amenities: AMENITIES.filter(() => rng.chance(0.45)),
      service: {},
    };
    setRooms(d, rng.sample(ROOMS, rng.int(2, 4)));
    d.service = randomExtras(rng, SERVICES, 0.35, [10, 45]);
    d.base = rng.uniform(...this.priceRange(trip));
    return d;
  },
  render(d, id) {
    return {
      id,
      name: d.name,
      room: d.rooms.map(roomLabel),
      cost: d.rooms.map((r) => Math.round(d.base * r.mult)),
      rating: d.rating,
      amenities: ordered(d.amenities, AMENITIES),
      service: orderedPrices(d.service, SERVICES),
    };
  },
  price(o: OptionJson, prefs) {
    const need = partySize(prefs);
    const rooms = listField(o, "room");
    const costs = listField(o, "cost").map(Number);
    const fit = costs.filter((_, i) => roomCapacity(rooms[i] ?? "") >= need);
    return Math.min(...(fit.length ? fit : costs));
  },
  scale(d, f) {
    d.base *= f;
  },
  priceRange: stayPriceRange(110, 290),
};
