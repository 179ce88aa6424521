/** Apartments: a bedroom/bathroom layout, a guest limit, a rating, what the place includes and extras. */
import { displayName } from "../../places.js";
import {
  featureTemplate,
  numberField,
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
  type PrefTemplate,
} from "./types.js";

interface ApartmentDraft {
  name: string;
  bedrooms: number;
  bathrooms: number;
  capacity: number;
  rating: number;
  amenities: string[];
  service: Record<string, number>;
  /** Price of the whole stay for a one-bedroom; larger layouts cost more. */
  base: number;
}

/** The layouts listings use (bedrooms, bathrooms). */
const LAYOUTS: [number, number][] = [
  [1, 1],
  [2, 1],
  [2, 2],
  [3, 2],
  [3, 3],
  [4, 4],
];

const AMENITIES = ["Wi-Fi", "Full kitchen", "Washer and dryer", "Air conditioning", "Free parking", "Balcony", "Dedicated workspace", "Pet-friendly", "TV"];
const SERVICES = ["Mid-stay cleaning", "Early check-in", "Airport pickup", "Late checkout"];

const ADJ = ["Sunny", "Cozy", "Modern", "Bright", "Quiet", "Spacious", "Charming", "Stylish", "Airy", "Classic", "Urban", "Leafy"];
const KIND = ["Loft", "Flat", "Studio Retreat", "Townhouse", "Garden Apartment", "Penthouse", "Hideaway", "Residence"];

const layoutOf = (o: OptionJson): [number, number] => {
  const m = /^(\d+)B(\d+)B$/.exec(String(o.room ?? ""));
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
};

function setLayout(d: ApartmentDraft, [bed, bath]: [number, number], capacity: number): void {
  d.bedrooms = bed;
  d.bathrooms = bath;
  d.capacity = capacity;
}

const sizeFactor = (d: ApartmentDraft): number => 1 + 0.45 * (d.bedrooms - 1) + 0.1 * (d.bathrooms - 1);

const templates: PrefTemplate<ApartmentDraft>[] = [
  {
    key: "apartment.bedrooms",
    slot: "layout",
    stage: 0,
    subcategory: "bedrooms",
    question: "How many bedrooms do you need in the apartment?",
    values: [2, 3],
    text: (v) => `At least ${v} bedrooms`,
    implicit: (v) =>
      v === 2
        ? "My brother is joining me, and we each want a bedroom to ourselves."
        : "Three of us are sharing the place, and everyone needs their own bedroom to retreat to.",
    test: (o, v) => layoutOf(o)[0] >= Number(v),
    force: (d, want, v, rng) => {
      const need = Number(v);
      const ok = LAYOUTS.filter(([b]) => (want ? b >= need : b < need));
      if (want === d.bedrooms >= need) return;
      const l = rng.pick(ok);
      setLayout(d, l, l[0] * 2 + rng.int(0, 1));
    },
  },
  {
    key: "apartment.bathrooms",
    slot: "layout",
    stage: 0,
    subcategory: "bathrooms",
    question: "How many bathrooms should the apartment have?",
    values: [2],
    text: () => "At least 2 bathrooms",
    implicit: () => "Sharing a single bathroom with a group every morning is a recipe for arguments.",
    test: (o, v) => layoutOf(o)[1] >= Number(v),
    force: (d, want, v, rng) => {
      const need = Number(v);
      if (want === d.bathrooms >= need) return;
      const l = rng.pick(LAYOUTS.filter(([, b]) => (want ? b >= need : b < need)));
      setLayout(d, l, l[0] * 2 + rng.int(0, 1));
    },
  },
  {
    key: "apartment.capacity",
    slot: "capacity",
    stage: 1,
    subcategory: "guests",
    question: "How many guests will stay in the apartment?",
    values: [4, 6],
    text: (v) => `Sleeps at least ${v} guests`,
    implicit: (v) =>
      v === 4 ? "There will be four of us staying under one roof." : "Six of us are travelling together and we want to stay in the same place.",
    test: (o, v) => numberField(o, "capacity") >= Number(v),
    force: (d, want, v, rng) => {
      const need = Number(v);
      if (want && d.capacity < need) d.capacity = need + rng.int(0, 2);
      if (!want && d.capacity >= need) d.capacity = rng.int(Math.max(2, need - 3), need - 1);
    },
  },
  ratingTemplate<ApartmentDraft>({
    key: "apartment.rating",
    values: [8, 8.5, 9],
    question: "How highly rated should the apartment be?",
    text: (v) => `Apartment rating of at least ${v}`,
    implicit: (v) => `I've been burned by listings before; if guests rate a place under ${v} out of 10, I keep scrolling.`,
    rating: (d, set) => (set === undefined ? d.rating : (d.rating = set)),
  }),
  featureTemplate<ApartmentDraft>({
    key: "apartment.kitchen",
    item: "Full kitchen",
    field: "amenities",
    subcategory: "kitchen",
    question: "Do you need a kitchen in the apartment?",
    text: "Has a full kitchen",
    implicit: "Half the fun of travelling for me is cooking with whatever I find at the local market.",
    list: (d) => d.amenities,
  }),
  featureTemplate<ApartmentDraft>({
    key: "apartment.laundry",
    item: "Washer and dryer",
    field: "amenities",
    subcategory: "washer",
    question: "Do you need a washer and dryer in the apartment?",
    text: "Has a washer and dryer",
    implicit: "I'm staying long enough that I'll have to wash clothes at some point.",
    list: (d) => d.amenities,
  }),
  featureTemplate<ApartmentDraft>({
    key: "apartment.parking",
    item: "Free parking",
    field: "amenities",
    subcategory: "parking",
    question: "Do you need parking at the apartment?",
    text: "Free parking",
    implicit: "I'll have a car, and circling the block every night looking for a spot is not my idea of a holiday.",
    list: (d) => d.amenities,
  }),
  featureTemplate<ApartmentDraft>({
    key: "apartment.balcony",
    item: "Balcony",
    field: "amenities",
    subcategory: "balcony",
    question: "Would you like a balcony at the apartment?",
    text: "Has a balcony",
    implicit: "Drinking my morning coffee outside is my favourite moment of any trip.",
    list: (d) => d.amenities,
  }),
  featureTemplate<ApartmentDraft>({
    key: "apartment.ac",
    item: "Air conditioning",
    field: "amenities",
    subcategory: "air conditioning",
    question: "Do you need air conditioning in the apartment?",
    text: "Has air conditioning",
    implicit: "I can't sleep at all once a room gets even a little warm.",
    list: (d) => d.amenities,
  }),
  featureTemplate<ApartmentDraft>({
    key: "apartment.workspace",
    item: "Dedicated workspace",
    field: "amenities",
    subcategory: "workspace",
    question: "Do you need a desk or workspace in the apartment?",
    text: "Has a dedicated workspace",
    implicit: "I'll be working remotely for part of the stay, and a sofa doesn't cut it for eight hours.",
    list: (d) => d.amenities,
  }),
  featureTemplate<ApartmentDraft>({
    key: "apartment.pets",
    item: "Pet-friendly",
    field: "amenities",
    subcategory: "pets",
    question: "Are you bringing a pet to the apartment?",
    text: "Allows pets",
    implicit: "My cat travels with me, so wherever I stay has to be fine with her.",
    list: (d) => d.amenities,
  }),
  serviceTemplate<ApartmentDraft>({
    key: "apartment.cleaning",
    name: "Mid-stay cleaning",
    subcategory: "cleaning",
    question: "Would you like the apartment cleaned during your stay?",
    text: "Offers cleaning during the stay",
    implicit: "I don't want to spend any of my holiday scrubbing floors or making beds.",
    price: [40, 90],
    service: (d) => d.service,
  }),
];

export const apartmentDomain: AspectDomain<ApartmentDraft> = {
  aspect: "apartment",
  templates,
  draft(rng, trip, names) {
    const city = displayName(trip.location ?? "");
    const name = uniqueName(names, () => `${rng.pick(ADJ)} ${rng.pick(KIND)}${rng.chance(0.5) && city ? ` in ${city}` : ""}`);
    const [bed, bath] = rng.pick(LAYOUTS.slice(0, 5));
    return {
      name,
      bedrooms: bed,
      bathrooms: bath,
      capacity: bed * 2 + rng.int(0, 1),
      rating: round1(rng.uniform(6.8, 9.7)),
      amenities: AMENITIES.filter(() => rng.chance(0.5)),
      service: randomExtras(rng, SERVICES, 0.35, [20, 70]),
      base: rng.uniform(...this.priceRange(trip)),
    };
  },
  render(d, id) {
    return {
      id,
      name: d.name,
      room: `${d.bedrooms}B${d.bathrooms}B`,
      capacity: d.capacity,
      cost: Math.round(d.base * sizeFactor(d)),
      rating: d.rating,
      amenities: ordered(d.amenities, AMENITIES),
      service: orderedPrices(d.service, SERVICES),
    };
  },
  price: (o) => numberField(o, "cost"),
  scale(d, f) {
    d.base *= f;
  },
  priceRange: stayPriceRange(95, 240),
};
