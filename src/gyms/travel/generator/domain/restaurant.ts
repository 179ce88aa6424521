/** Restaurants: cuisine, price per person, rating with a review breakdown, and tags. */
import {
  featureTemplate,
  ordered,
  ratingTemplate,
  recordField,
  round1,
  uniqueName,
  type AspectDomain,
  type OptionJson,
  type PrefTemplate,
} from "./types.js";

interface RestaurantDraft {
  word: string;
  form: number;
  cuisine: string;
  /** Price per person in USD. */
  perPerson: number;
  rating: number;
  reviewCount: number;
  tags: string[];
}

const CUISINES: Record<string, { says: string; names: ((w: string) => string)[] }> = {
  Italian: { says: "I've been dreaming about handmade pasta for weeks.", names: [(w) => `Trattoria ${w}`, (w) => `Osteria ${w}`] },
  Japanese: { says: "Nothing makes me happier than really fresh sushi.", names: [(w) => `Sushi ${w}`, (w) => `${w} Izakaya`] },
  Mexican: { says: "I'm craving tacos with a properly spicy salsa.", names: [(w) => `Cantina ${w}`, (w) => `${w} Taqueria`] },
  Thai: { says: "I love curries with lemongrass, coconut milk and plenty of chili.", names: [(w) => `${w} Thai Kitchen`, (w) => `Baan ${w}`] },
  Indian: { says: "A rich curry with naan fresh out of the tandoor is my idea of a perfect dinner.", names: [(w) => `${w} Tandoor`, (w) => `Spice of ${w}`] },
  French: { says: "I'd love a proper bistro dinner, steak frites with a crème brûlée to finish.", names: [(w) => `Bistro ${w}`, (w) => `Chez ${w}`] },
  Chinese: { says: "A table covered in dumplings and hand-pulled noodles would make my night.", names: [(w) => `${w} Dumpling House`, (w) => `Golden ${w}`] },
  Korean: { says: "Grilling meat right at the table is my favourite way to eat out.", names: [(w) => `${w} BBQ`, (w) => `Seoul ${w}`] },
  Mediterranean: { says: "Hummus, grilled halloumi and warm pita sound perfect to me.", names: [(w) => `${w} Mezze`, (w) => `Olive & ${w}`] },
  Seafood: { says: "When I eat out I always order whatever came out of the sea that morning.", names: [(w) => `${w} Oyster Bar`, (w) => `The ${w} Catch`] },
};
const WORDS = [
  "Luna", "Marco", "Sakura", "Verde", "Amber", "Harbor", "Lotus", "Rosa", "Cedar", "Juniper", "Saffron", "Coral", "Maple",
  "Orchid", "Basil", "Ember", "Pearl", "Willow", "Aurora", "Sol", "Fig", "Indigo", "Jade", "Kestrel", "Lark", "Mosaic",
  "Nova", "Pepper", "Quill", "Raven", "Sage", "Tamarind", "Umber", "Vela", "Wren", "Yuzu", "Zephyr", "Ginger", "Clover",
];
const TAGS = ["Vegetarian-friendly", "Outdoor seating", "Kid-friendly", "Wheelchair accessible", "Quiet atmosphere", "Live music", "Gluten-free options", "Waterfront view", "Open late", "Takes reservations"];

/** How a rating spreads over 5..1 stars; the counts always add up to `total`. */
function reviewCounts(total: number, rating: number): Record<string, number> {
  const q = Math.min(1, Math.max(0, (rating - 5) / 5));
  const w = [0.15 + 0.6 * q, 0.25, 0.3 - 0.2 * q, 0.18 - 0.14 * q, 0.12 - 0.1 * q];
  const sum = w.reduce((a, b) => a + b, 0);
  const raw = w.map((x) => (total * x) / sum);
  const counts = raw.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i]++;
  }
  return { "5": counts[0], "4": counts[1], "3": counts[2], "2": counts[3], "1": counts[4] };
}

const reviewTotal = (o: OptionJson): number => Object.values(recordField(o, "reviews")).reduce<number>((a, b) => a + Number(b), 0);

const tag = (key: string, item: string, subcategory: string, question: string, text: string, implicit: string) =>
  featureTemplate<RestaurantDraft>({ key, item, field: "tags", subcategory, question, text, implicit, list: (d) => d.tags });

const templates: PrefTemplate<RestaurantDraft>[] = [
  {
    key: "restaurant.cuisine",
    slot: "cuisine",
    subcategory: "cuisine",
    question: "What kind of cuisine are you in the mood for at the restaurant?",
    values: Object.keys(CUISINES),
    text: (v) => `${v} food`,
    implicit: (v) => CUISINES[String(v)].says,
    test: (o, v) => o.cuisine === v,
    force: (d, want, v, rng) => {
      if (want) d.cuisine = String(v);
      else if (d.cuisine === v) d.cuisine = rng.pick(Object.keys(CUISINES).filter((c) => c !== v));
    },
  },
  ratingTemplate<RestaurantDraft>({
    key: "restaurant.rating",
    values: [8, 8.5, 9],
    question: "How well rated should the restaurant be?",
    text: (v) => `Restaurant rating of at least ${v}`,
    implicit: (v) => `Life's too short for mediocre meals; if diners give a place less than ${v} out of 10, I'd rather eat elsewhere.`,
    rating: (d, set) => (set === undefined ? d.rating : (d.rating = set)),
  }),
  {
    key: "restaurant.reviews",
    slot: "reviews",
    subcategory: "reviews",
    question: "Does it matter to you how many reviews the restaurant has?",
    values: [300, 800],
    text: (v) => `At least ${v} reviews`,
    implicit: (v) => `A rating means nothing to me unless at least ${v} diners have weighed in.`,
    test: (o, v) => reviewTotal(o) >= Number(v),
    force: (d, want, v, rng) => {
      const need = Number(v);
      if (want && d.reviewCount < need) d.reviewCount = rng.int(need, need * 3);
      if (!want && d.reviewCount >= need) d.reviewCount = rng.int(Math.round(need / 10), need - 1);
    },
  },
  tag("restaurant.vegetarian", "Vegetarian-friendly", "vegetarian", "Does anyone in your group need vegetarian food at the restaurant?", "Vegetarian-friendly", "My partner doesn't eat meat, so we need real options beyond a side salad."),
  tag("restaurant.outdoor", "Outdoor seating", "outdoor seating", "Would you like outdoor seating at the restaurant?", "Outdoor seating", "When the weather is nice, I love eating outside in the fresh air."),
  tag("restaurant.kids", "Kid-friendly", "children", "Will kids be eating with you at the restaurant?", "Kid-friendly", "My two little ones will be at the table with us."),
  tag("restaurant.accessible", "Wheelchair accessible", "accessibility", "Does the restaurant need to be wheelchair accessible?", "Wheelchair accessible", "My father uses a wheelchair, and he's joining us for dinner."),
  tag("restaurant.quiet", "Quiet atmosphere", "noise level", "Do you prefer a quiet restaurant or a lively one?", "Quiet atmosphere", "I want somewhere we can actually hear each other talk."),
  tag("restaurant.music", "Live music", "live music", "Would you enjoy live music at the restaurant?", "Live music", "Dinner with a band playing is my favourite kind of evening."),
  tag("restaurant.gluten_free", "Gluten-free options", "gluten free", "Do you have any dietary restrictions, like gluten, for the restaurant?", "Gluten-free options", "I have celiac disease, so I have to be careful about what's in every dish."),
  tag("restaurant.view", "Waterfront view", "view", "Would you like a restaurant with a view?", "Waterfront view", "A table looking out over the water would make the whole trip."),
  tag("restaurant.late", "Open late", "opening hours", "What time will you have dinner; do you need a restaurant that stays open late?", "Open late", "Our days run long, so we'll probably sit down to eat well after ten."),
];

export const restaurantDomain: AspectDomain<RestaurantDraft> = {
  aspect: "restaurant",
  templates,
  draft(rng, trip, names) {
    const cuisine = rng.pick(Object.keys(CUISINES));
    const form = rng.int(0, 1);
    const word = uniqueName(names, () => rng.pick(WORDS));
    return {
      word,
      form,
      cuisine,
      perPerson: rng.uniform(...this.priceRange(trip)),
      rating: round1(rng.uniform(6.2, 9.6)),
      reviewCount: rng.int(40, 2400),
      tags: TAGS.filter(() => rng.chance(0.35)),
    };
  },
  render(d, id) {
    const names = CUISINES[d.cuisine].names;
    return {
      id,
      name: names[d.form % names.length](d.word),
      cuisine: d.cuisine,
      expectation: `$${Math.round(d.perPerson)} per person`,
      rating: d.rating,
      reviews: reviewCounts(d.reviewCount, d.rating),
      tags: ordered(d.tags, TAGS),
    };
  },
  price: (o) => Number(/\$(\d+)/.exec(String(o.expectation ?? ""))?.[1] ?? Number.NaN),
  scale(d, f) {
    d.perPerson *= f;
  },
  priceRange: () => [18, 95],
};
