/** Rental cars: a company, a model (body type and seats), transmission and fuel, insurance plans and extras. */
import {
  listField,
  numberField,
  orderedPrices,
  randomExtras,
  recordField,
  serviceTemplate,
  stayPriceRange,
  type AspectDomain,
  type PrefTemplate,
} from "./types.js";
import type { Rng } from "../../../kit/random.js";

interface Model {
  model: string;
  body: string;
  seats: number;
  /** Daily price relative to a compact car. */
  mult: number;
}

interface CarDraft {
  brand: string;
  model: Model;
  transmission: string;
  fuel: string;
  insurance: Record<string, number>;
  service: Record<string, number>;
  /** A compact car's price for the whole rental. */
  base: number;
}

const MODELS: Model[] = [
  { model: "Nissan Versa", body: "Compact", seats: 5, mult: 1 },
  { model: "Kia Rio", body: "Compact", seats: 5, mult: 1 },
  { model: "Toyota Yaris", body: "Compact", seats: 5, mult: 1.05 },
  { model: "Mini Cooper", body: "Compact", seats: 4, mult: 1.2 },
  { model: "Toyota Camry", body: "Sedan", seats: 5, mult: 1.25 },
  { model: "Honda Accord", body: "Sedan", seats: 5, mult: 1.25 },
  { model: "Hyundai Sonata", body: "Sedan", seats: 5, mult: 1.2 },
  { model: "Toyota RAV4", body: "SUV", seats: 5, mult: 1.45 },
  { model: "Honda CR-V", body: "SUV", seats: 5, mult: 1.45 },
  { model: "Ford Explorer", body: "SUV", seats: 7, mult: 1.7 },
  { model: "Kia Sorento", body: "SUV", seats: 7, mult: 1.6 },
  { model: "Chevrolet Tahoe", body: "SUV", seats: 8, mult: 2 },
  { model: "Honda Odyssey", body: "Minivan", seats: 8, mult: 1.75 },
  { model: "Chrysler Pacifica", body: "Minivan", seats: 7, mult: 1.7 },
  { model: "Toyota Sienna", body: "Minivan", seats: 8, mult: 1.8 },
  { model: "Ford Mustang Convertible", body: "Convertible", seats: 4, mult: 1.9 },
  { model: "Chevrolet Camaro Convertible", body: "Convertible", seats: 4, mult: 1.85 },
  { model: "BMW 4 Series Convertible", body: "Convertible", seats: 4, mult: 2.3 },
];

const COMPANIES = ["Hertz", "Avis", "Enterprise", "Budget", "Sixt", "National", "Alamo", "Thrifty", "Europcar"];
const SERVICES = ["GPS navigation", "Child seat", "Additional driver", "Unlimited mileage", "Roadside assistance", "Toll pass"];
const PLANS = ["Liability only", "Collision damage waiver", "Full coverage"];

const BODY_WORDS: Record<string, string> = {
  SUV: "We're heading up into the mountains, so I want something sturdy that sits high off the road.",
  Convertible: "Driving along the coast with the wind in my hair is the whole point of this trip.",
  Minivan: "I'm hauling the whole family plus a mountain of luggage, so it has to be a proper people-mover with sliding doors.",
  Compact: "Parking in a busy city terrifies me, so the smaller the car the better.",
};
const BODY_TEXT: Record<string, string> = { SUV: "An SUV", Convertible: "A convertible", Minivan: "A minivan", Compact: "A compact car" };
const FUEL_WORDS: Record<string, string> = {
  Electric: "I've been trying to cut my emissions, so I'd love to drive on battery power alone this time.",
  Hybrid: "I want something easy on gas, but I don't want to plan my days around charging stations.",
};

function setModel(d: CarDraft, rng: Rng, ok: (m: Model) => boolean): void {
  d.model = rng.pick(MODELS.filter(ok));
}

const templates: PrefTemplate<CarDraft>[] = [
  {
    key: "rental_car.body",
    slot: "model",
    subcategory: "car type",
    question: "What type of car would you like: a compact, a sedan, an SUV, a minivan or a convertible?",
    values: Object.keys(BODY_WORDS),
    text: (v) => BODY_TEXT[String(v)],
    implicit: (v) => BODY_WORDS[String(v)],
    test: (o, v) => listField(o, "categories").includes(String(v)),
    force: (d, want, v, rng) => {
      if (want !== (d.model.body === v)) setModel(d, rng, (m) => (m.body === v) === want);
    },
  },
  {
    key: "rental_car.seats",
    slot: "model",
    subcategory: "seats",
    question: "How many people need to fit in the car?",
    values: [7],
    text: (v) => `Seats at least ${v}`,
    implicit: () => "Seven of us have to fit in one car for the drives.",
    test: (o, v) => numberField(o, "seats") >= Number(v),
    force: (d, want, v, rng) => {
      const need = Number(v);
      if (want !== d.model.seats >= need) setModel(d, rng, (m) => m.seats >= need === want);
    },
  },
  {
    key: "rental_car.transmission",
    slot: "transmission",
    subcategory: "transmission",
    question: "Do you need a car with automatic transmission, or can you drive a manual?",
    values: [null],
    text: () => "Automatic transmission",
    implicit: () => "I never learned to drive a stick shift.",
    test: (o) => listField(o, "categories").includes("Automatic"),
    force: (d, want) => {
      d.transmission = want ? "Automatic" : "Manual";
    },
  },
  {
    key: "rental_car.fuel",
    slot: "fuel",
    subcategory: "fuel type",
    question: "Do you want an electric or hybrid car, or is gasoline fine?",
    values: Object.keys(FUEL_WORDS),
    text: (v) => `${v === "Electric" ? "An electric" : "A hybrid"} car`,
    implicit: (v) => FUEL_WORDS[String(v)],
    test: (o, v) => listField(o, "categories").includes(String(v)),
    force: (d, want, v, rng) => {
      if (want) d.fuel = String(v);
      else if (d.fuel === v) d.fuel = rng.pick(["Gasoline", "Hybrid", "Electric"].filter((f) => f !== v));
    },
  },
  {
    key: "rental_car.company",
    slot: "brand",
    subcategory: "rental company",
    question: "Is there a car rental company you'd rather not use?",
    values: COMPANIES,
    text: (v) => `Avoid renting from ${v}`,
    implicit: (v) => `${v} once charged me a fortune for a scratch I didn't cause, so I'm done with them.`,
    test: (o, v) => o.brand !== v,
    force: (d, want, v, rng) => {
      if (want && d.brand === v) d.brand = rng.pick(COMPANIES.filter((c) => c !== v));
      if (!want) d.brand = String(v);
    },
  },
  {
    key: "rental_car.insurance",
    slot: "insurance",
    subcategory: "insurance",
    question: "What kind of insurance coverage do you want on the rental car?",
    values: [null],
    text: () => "Full coverage insurance available",
    implicit: () => "Driving somewhere unfamiliar makes me nervous, so I want the most complete protection they offer.",
    test: (o) => "Full coverage" in recordField(o, "insurance"),
    force: (d, want, _v, rng) => {
      if (want) d.insurance["Full coverage"] ??= rng.int(120, 260);
      else delete d.insurance["Full coverage"];
    },
  },
  serviceTemplate<CarDraft>({
    key: "rental_car.gps",
    name: "GPS navigation",
    subcategory: "gps",
    question: "Do you need GPS navigation in the car?",
    text: "Offers GPS navigation",
    implicit: "My phone plan won't work there, so I'll need directions built into the car.",
    price: [30, 60],
    service: (d) => d.service,
  }),
  serviceTemplate<CarDraft>({
    key: "rental_car.child_seat",
    name: "Child seat",
    subcategory: "child seat",
    question: "Will a young child ride in the car?",
    text: "Offers a child seat",
    implicit: "My toddler will be riding with us on every drive.",
    price: [25, 55],
    service: (d) => d.service,
  }),
  serviceTemplate<CarDraft>({
    key: "rental_car.additional_driver",
    name: "Additional driver",
    subcategory: "additional driver",
    question: "Will anyone else drive the rental car?",
    text: "Allows an additional driver",
    implicit: "My partner and I plan to take turns behind the wheel.",
    price: [40, 90],
    service: (d) => d.service,
  }),
  serviceTemplate<CarDraft>({
    key: "rental_car.mileage",
    name: "Unlimited mileage",
    subcategory: "mileage",
    question: "How far do you plan to drive the rental car; do you need unlimited mileage?",
    text: "Unlimited mileage",
    implicit: "I'm planning long drives out of the city almost every day.",
    price: [0, 60],
    service: (d) => d.service,
  }),
];

export const rentalCarDomain: AspectDomain<CarDraft> = {
  aspect: "rental_car",
  templates,
  draft(rng, trip) {
    const insurance: Record<string, number> = { "Liability only": 0 };
    if (rng.chance(0.7)) insurance["Collision damage waiver"] = rng.int(60, 150);
    if (rng.chance(0.5)) insurance["Full coverage"] = rng.int(120, 260);
    return {
      brand: rng.pick(COMPANIES),
      model: rng.pick(MODELS),
      transmission: rng.chance(0.75) ? "Automatic" : "Manual",
      fuel: rng.pick(["Gasoline", "Gasoline", "Gasoline", "Hybrid", "Hybrid", "Electric"]),
      insurance,
      service: randomExtras(rng, SERVICES, 0.35, [15, 70]),
      base: rng.uniform(...this.priceRange(trip)),
    };
  },
  render(d, id) {
    return {
      id,
      brand: d.brand,
      model: d.model.model,
      categories: [d.model.body, d.transmission, d.fuel],
      seats: d.model.seats,
      cost: Math.round(d.base * d.model.mult),
      insurance: orderedPrices(d.insurance, PLANS),
      service: orderedPrices(d.service, SERVICES),
    };
  },
  price: (o) => numberField(o, "cost"),
  scale(d, f) {
    d.base *= f;
  },
  priceRange: stayPriceRange(38, 80),
};
