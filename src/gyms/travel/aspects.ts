/**
 * The five travel aspects: names, option-id initials, how people refer to them, and the field guide
 * shown above search results.
 */

export const ASPECTS = ["flight", "hotel", "apartment", "rental_car", "restaurant"] as const;
export type Aspect = (typeof ASPECTS)[number];

export const INITIAL: Record<Aspect, string> = { flight: "F", hotel: "H", apartment: "A", rental_car: "C", restaurant: "R" };
export const ASPECT_OF_INITIAL: Record<string, Aspect> = { F: "flight", H: "hotel", A: "apartment", C: "rental_car", R: "restaurant" };

/** How an aspect reads in a sentence. */
export const LABEL: Record<Aspect, string> = {
  flight: "flight",
  hotel: "hotel",
  apartment: "apartment",
  rental_car: "rental car",
  restaurant: "restaurant",
};

export function isAspect(x: unknown): x is Aspect {
  return typeof x === "string" && (ASPECTS as readonly string[]).includes(x);
}

/** Words that name an aspect in a trip description, a search query or a question. */
export const ASPECT_WORDS: Record<Aspect, RegExp> = {
  flight: /\b(?:flights?|fly|flying|flies|airfares?|airlines?|planes?|in-flight|inflight|layovers?|nonstop|non-stop)\b/i,
  hotel: /\bhotels?\b/i,
  apartment: /\b(?:apartments?|airbnb|condos?|vacation rentals?|flats?)\b/i,
  rental_car: /\b(?:rental[ _]cars?|car[ _]rentals?|rent(?:ing)? an? (?:\w+ )?car|cars?|vehicles?|suv|minivan)\b/i,
  restaurant: /\b(?:restaurants?|dine|dining|dinner|lunch|meal out|eatery|eateries)\b/i,
};

/** The aspects a text names, in the fixed ASPECTS order. */
export function aspectsNamed(text: string): Aspect[] {
  const t = text.replace(/_/g, " ");
  return ASPECTS.filter((a) => ASPECT_WORDS[a].test(t));
}

/** What each field of an option means, shown with the search results (our own field guide). */
export const FIELD_GUIDE: Record<Aspect, string> = {
  flight: [
    "Flight options have these fields:",
    "- path: the airports in travel order, from the departure city through any connections to the destination",
    "- time: hours in the air and on the ground, alternating (leg, layover, leg, ...)",
    "- company: the airline operating each leg",
    "- flight_number: the flight number of each leg",
    "- cost: the economy fare for the whole trip, in USD",
    "- amenities: what comes free on board",
    "- service: extras and what they cost in USD (0 means included)",
  ].join("\n"),
  hotel: [
    "Hotel options have these fields:",
    "- name: the hotel",
    "- room: the room types on offer, each with how many guests it sleeps",
    "- cost: the price of each room type (same order as room) for the whole stay, in USD",
    "- rating: guest rating out of 10",
    "- amenities: facilities guests use free of charge",
    "- service: extras and what they cost in USD",
  ].join("\n"),
  apartment: [
    "Apartment options have these fields:",
    "- name: the listing",
    "- room: bedrooms and bathrooms, written like 2B1B (two bedrooms, one bathroom)",
    "- capacity: the most guests allowed",
    "- cost: the rent for the whole stay, in USD",
    "- rating: guest rating out of 10",
    "- amenities: what the apartment includes",
    "- service: extras and what they cost in USD",
  ].join("\n"),
  rental_car: [
    "Rental car options have these fields:",
    "- brand: the rental company",
    "- model: the car",
    "- categories: body type, transmission and fuel",
    "- seats: how many people it carries",
    "- cost: the rental price for the whole period, in USD",
    "- insurance: coverage plans and their prices in USD",
    "- service: extras and what they cost in USD",
  ].join("\n"),
  restaurant: [
    "Restaurant options have these fields:",
    "- name: the restaurant",
    "- cuisine: the kind of food",
    "- expectation: what a meal costs per person, in USD",
    "- rating: average rating out of 10",
    "- reviews: how many reviews gave 5, 4, 3, 2 and 1 stars",
    "- tags: what the place is like and what it offers",
  ].join("\n"),
};
