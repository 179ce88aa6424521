/**
 * A coarse taxonomy for Telepathy's 188 free-text category labels, so the offline user can answer
 * "Is it a person / an animal / food / a place / alive / man-made / fictional …?" from the data.
 *
 * An entity gets one class from its category label and the phrase of its description ("I am thinking
 * of a famous landmark"). Each class states the properties it settles; anything it leaves out stays
 * unknown and the offline user answers "Maybe" rather than guess.
 */
import { stem, words } from "../kit/lexical.js";

export type Property =
  | "person"
  | "animal"
  | "plant"
  | "living"
  | "food"
  | "drink"
  | "place"
  | "fictional"
  | "manmade"
  | "natural"
  | "event"
  | "work"
  | "activity"
  | "vehicle"
  | "device"
  | "instrument"
  | "celestial"
  | "building";

type Facts = Partial<Record<Property, boolean>>;

/** Everything that is not the thing itself is false for most classes; list the trues and the unknowns. */
const ALL: readonly Property[] = [
  "person",
  "animal",
  "plant",
  "living",
  "food",
  "drink",
  "place",
  "fictional",
  "manmade",
  "natural",
  "event",
  "work",
  "activity",
  "vehicle",
  "device",
  "instrument",
  "celestial",
  "building",
];

function facts(trues: Property[], unknown: Property[] = []): Facts {
  const out: Facts = {};
  for (const p of ALL) if (!unknown.includes(p)) out[p] = trues.includes(p);
  return out;
}

export interface EntityClass {
  name: string;
  facts: Facts;
}

/** Classes in priority order: the first whose trigger matches the category/description words wins. */
const CLASSES: { name: string; triggers: string[]; facts: Facts }[] = [
  { name: "fictional place", triggers: ["fictional place"], facts: facts(["place", "fictional", "manmade"], ["natural", "building"]) },
  { name: "fictional device", triggers: ["sci fi"], facts: facts(["fictional", "manmade"], ["device"]) },
  { name: "fictional sport", triggers: ["fictional sport"], facts: facts(["activity", "fictional", "manmade"]) },
  {
    name: "fictional character",
    triggers: ["fictional", "superhero", "cartoon", "animated", "vampire", "character", "robot"],
    facts: facts(["fictional"], ["person", "animal", "living", "manmade", "work", "device"]),
  },
  {
    name: "mythical creature",
    triggers: ["mythical", "mythological", "mythology", "deity", "legendary creature", "legendary sea creature"],
    facts: facts(["fictional"], ["person", "animal", "living", "natural"]),
  },
  { name: "legendary figure", triggers: ["legendary figure", "mythical hero"], facts: facts([], ["person", "fictional", "living"]) },
  { name: "music group", triggers: ["band"], facts: facts([], ["person", "work", "manmade"]) },
  {
    name: "person",
    triggers: [
      "person", "figure", "composer", "painter", "artist", "author", "scientist", "mathematician", "philosopher", "inventor",
      "singer", "musician", "athlete", "actor", "entrepreneur", "leader", "ruler", "president", "humanitarian", "entertainer",
      "astronaut", "celebrity", "icon", "personality", "individual", "wrestler",
    ],
    facts: facts(["person"], ["living", "animal"]),
  },
  {
    name: "animal",
    triggers: ["animal", "bird", "fish", "reptile", "marsupial", "dinosaur", "breed", "creature", "prehistoric"],
    facts: facts(["animal", "living", "natural"], ["food"]),
  },
  { name: "plant", triggers: ["plant", "flower", "tree"], facts: facts(["plant", "living", "natural"], ["food"]) },
  { name: "drink", triggers: ["beverage", "cocktail", "drink"], facts: facts(["drink"], ["food", "manmade", "natural"]) },
  {
    name: "food",
    triggers: ["food", "fruit", "dessert", "dish", "cuisine", "vegetable", "bread", "cheese", "salad", "salt", "sweet"],
    facts: facts(["food"], ["living", "plant", "manmade", "natural", "drink"]),
  },
  { name: "celestial body", triggers: ["planet", "galaxy", "celestial body", "star"], facts: facts(["celestial", "natural"], ["place"]) },
  {
    name: "natural phenomenon",
    triggers: ["phenomenon", "weather", "disaster", "light display", "astronomical", "process", "eclipse"],
    facts: facts(["natural"], ["event", "celestial", "place", "living"]),
  },
  {
    name: "natural place",
    triggers: [
      "mountain", "waterfall", "river", "forest", "desert", "volcano", "sea", "water", "national park", "natural park",
      "geological", "natural wonder", "natural feature", "island",
    ],
    facts: facts(["place", "natural"], ["living"]),
  },
  {
    name: "built place",
    triggers: [
      "landmark", "monument", "structure", "building", "bridge", "museum", "citadel", "ancient site", "historical site",
      "wonder", "clock", "performing arts center", "artistic location",
    ],
    facts: facts(["place", "manmade", "building"], []),
  },
  {
    name: "place",
    triggers: ["city", "country", "place", "location", "hub", "capital", "geographic", "geographical", "geography"],
    facts: facts(["place"], ["manmade", "natural", "building"]),
  },
  {
    name: "event",
    triggers: ["event", "festival", "holiday", "season", "period", "civilization"],
    facts: facts(["event"], ["manmade", "natural", "activity"]),
  },
  {
    name: "vehicle",
    triggers: ["vehicle", "aircraft", "car", "motorcycle", "ship", "transport", "transportation"],
    facts: facts(["vehicle", "manmade"], ["device"]),
  },
  {
    name: "organisation or product",
    triggers: ["company", "brand", "platform", "social media", "software", "operating system", "programming language"],
    facts: facts(["manmade"], ["device", "work"]),
  },
  { name: "musical instrument", triggers: ["instrument"], facts: facts(["instrument", "manmade"], ["device"]) },
  {
    name: "device",
    triggers: [
      "device", "gadget", "appliance", "computer", "console", "smartphone", "tablet", "tool", "utensil", "invention",
      "artifact", "technology", "ride", "toy", "puzzle",
    ],
    facts: facts(["manmade"], ["device", "instrument", "vehicle", "activity", "building"]),
  },
  {
    name: "creative work",
    triggers: [
      "book", "novel", "literature", "literary", "movie", "film", "franchise", "play", "song", "artwork", "painting", "ballet",
      "music", "television", "series", "show",
    ],
    facts: facts(["work", "manmade"], ["activity", "event"]),
  },
  {
    name: "activity",
    triggers: ["sport", "game", "motorsport", "dance", "activity", "performing art", "performance art", "art"],
    facts: facts(["activity", "manmade"], ["event", "work"]),
  },
  { name: "gemstone", triggers: ["gemstone", "mineral"], facts: facts(["natural"], []) },
  {
    name: "concept",
    triggers: ["element", "molecule", "compound", "constant", "theory", "science", "genre", "award", "symbol"],
    facts: facts([], ["natural", "manmade"]),
  },
];

/** Words of the description's category phrase: "I am thinking of a famous landmark." → famous landmark. */
export function descriptionPhrase(description: string): string {
  const m = /thinking of (?:an? |the )?(.+?)(?:\.\s|[.!?]\s*$|$)/i.exec(description);
  return m ? m[1].replace(/\bU\.S\b/g, "US").trim() : "";
}

function containsPhrase(hay: readonly string[], needle: readonly string[]): boolean {
  for (let i = 0; i + needle.length <= hay.length; i++) {
    if (needle.every((w, j) => hay[i + j] === w)) return true;
  }
  return false;
}

/** Each class's triggers as stemmed word sequences, stemmed once rather than for every entity. */
const TRIGGER_STEMS = CLASSES.map((c) => c.triggers.map((t) => words(t).map(stem)));

/** The coarse class of an entity from its category label and description (unknown facts when none fits). */
export function classify(category: string, description: string): EntityClass {
  const hay = words(`${category.replace(/_/g, " ")} ${descriptionPhrase(description)}`).map(stem);
  for (const [i, c] of CLASSES.entries()) {
    if (TRIGGER_STEMS[i].some((t) => containsPhrase(hay, t))) return { name: c.name, facts: c.facts };
  }
  return { name: "unknown", facts: {} };
}

export interface PropertyPhrase {
  phrase: string;
  property: Property;
  /** The phrase asks the opposite of the property ("real" = not fictional). */
  negated?: boolean;
  /**
   * The phrase names a sub-kind ("bird" of animal, "movie" of creative work): a false property still
   * answers No, but a true one cannot confirm the sub-kind, so the answer stays Maybe unless the
   * entity's own category names it.
   */
  sub?: boolean;
}

function group(property: Property, main: string[], sub: string[] = [], negated = false): PropertyPhrase[] {
  return [...main.map((phrase) => ({ phrase, property, negated })), ...sub.map((phrase) => ({ phrase, property, negated, sub: true }))];
}

/**
 * Phrases that ask about a property, matched at the head of a yes/no question after "is it (a|an)…".
 */
export const PROPERTY_PHRASES: readonly PropertyPhrase[] = [
  ...group("person", ["person", "human", "human being", "people", "someone", "somebody", "individual"], ["man", "woman", "celebrity", "historical figure", "famous person"]),
  ...group("animal", ["animal", "creature"], ["mammal", "pet", "insect", "bird", "fish", "reptile", "dog", "cat", "wild animal"]),
  ...group("plant", ["plant", "vegetation"], ["flower", "tree"]),
  ...group("living", ["alive", "living", "living thing", "living being", "living creature", "organism", "life form"]),
  ...group("food", ["food", "edible", "something you eat", "something you can eat", "something to eat"], ["dish", "meal", "snack", "fruit", "vegetable", "dessert"]),
  ...group("drink", ["drink", "beverage", "something you drink", "something you can drink"]),
  ...group("place", ["place", "location", "destination", "somewhere", "geographical location", "geographic location"], ["city", "country"]),
  ...group("fictional", ["fictional", "imaginary", "made up", "fictitious"], ["mythical", "fantasy"]),
  ...group("fictional", ["real", "real thing", "real person"], [], true),
  ...group("manmade", ["man made", "manmade", "human made", "artificial", "invented", "manufactured", "made by humans", "made by people", "built by humans"]),
  ...group("natural", ["natural", "found in nature", "part of nature", "naturally occurring"]),
  ...group("event", ["event"], ["festival", "holiday", "celebration"]),
  ...group("work", ["creative work", "work of art"], ["book", "movie", "film", "song", "novel", "artwork", "painting", "tv show", "television show"]),
  ...group("activity", ["activity"], ["sport", "game", "hobby", "dance"]),
  ...group("vehicle", ["vehicle", "mode of transport", "mode of transportation", "means of transport", "means of transportation"], ["car", "boat", "ship", "plane", "aircraft", "train"]),
  ...group("device", ["device"], ["machine", "gadget", "electronic device", "electronic", "appliance", "electrical", "tool"]),
  ...group("instrument", ["instrument", "musical instrument"]),
  ...group("celestial", ["in space", "in outer space", "celestial body", "celestial object", "astronomical object"], ["planet", "star"]),
  ...group("building", ["building", "structure"], ["landmark", "monument"]),
];
