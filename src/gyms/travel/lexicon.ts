/**
 * Travel concepts and the words that name them. The offline classifier matches a question against a
 * preference when both name the same concept ("Do you need Wi-Fi on the plane?" and "Free Wi-Fi on
 * board" both name `wifi`). The list covers the generator's preference kinds and the usual subjects of
 * travel preferences, so it also works on the original UserBench scenarios.
 */

const CONCEPTS: Record<string, RegExp> = {
  connections: /\b(?:non-?stop|direct flights?|fly direct|connections?|connecting|layovers?|stopovers?|stops?|change planes|changing planes)\b/,
  airline: /\b(?:airlines?|carriers?)\b/,
  wifi: /\b(?:wi-?fi|internet|online|connectivity)\b/,
  meal: /\b(?:meals?|snacks?|catering|fed on board)\b/,
  power: /\b(?:power outlets?|outlets?|charg(?:e|er|ing)|plug (?:in|them)|usb)\b/,
  entertainment: /\b(?:entertainment|movies?|films?|seatback|screens?)\b/,
  legroom: /\b(?:leg ?room|roomy seats?|seat space|stretch)\b/,
  baggage: /\b(?:bags?|baggage|luggage|suitcases?)\b/,
  pets: /\b(?:pets?|dogs?|cats?|animals?|pet-friendly)\b/,
  rating: /\b(?:ratings?|rated|stars?|scores?|well[- ]reviewed)\b/,
  reviews: /\b(?:reviews|reviewers|how many reviews|number of reviews|review count)\b/,
  party: /\b(?:sleeps?|guests?|how many (?:people|of you|travell?ers)|people|party|capacity|occupancy|share the room|sharing|fit in|seats)\b/,
  bedrooms: /\bbedrooms?\b/,
  bathrooms: /\b(?:bathrooms?|baths?|toilets?)\b/,
  fitness: /\b(?:gym|fitness|work ?outs?|exercise)\b/,
  pool: /\b(?:pool|swim(?:ming)?)\b/,
  breakfast: /\bbreakfast\b/,
  parking: /\b(?:parking|park(?: the car)?|garage)\b/,
  spa: /\b(?:spa|massages?|wellness)\b/,
  shuttle: /\b(?:shuttle|airport transfers?)\b/,
  laundry: /\b(?:laundry|washer|washing machine|dryer|wash(?:ing)? clothes)\b/,
  kitchen: /\b(?:kitchen|cook(?:ing)?|stove)\b/,
  balcony: /\b(?:balcony|balconies)\b/,
  cooling: /\b(?:air[- ]?condition(?:ing|ed|er)?|a\/c|cooling)\b/,
  workspace: /\b(?:workspace|desk|work(?:ing)? remotely|home office)\b/,
  cleaning: /\b(?:clean(?:ing|ed)?|housekeeping|maid)\b/,
  car_type: /\b(?:suv|convertible|minivan|compact|sedan|car type|type of car|kind of car|size of (?:the )?car|body type)\b/,
  transmission: /\b(?:automatic|manual|stick ?shift|stick|transmission|gears?)\b/,
  fuel: /\b(?:electric|hybrid|gasoline|gas|fuel|petrol|ev|emissions)\b/,
  company: /\b(?:rental compan(?:y|ies)|car rental compan(?:y|ies)|rental agenc(?:y|ies)|hertz|avis|enterprise|sixt|alamo|thrifty|europcar)\b/,
  insurance: /\b(?:insurance|coverage|protection|waiver)\b/,
  navigation: /\b(?:gps|navigation|sat ?nav|directions)\b/,
  child_seat: /\b(?:child seats?|car seats?|booster|toddlers?|young child|baby|infant)\b/,
  driver: /\b(?:(?:additional|second|extra|another) driver|anyone else drive|take turns|share the driving)\b/,
  mileage: /\b(?:mileage|miles|kilomet(?:er|re)s|how far|long drives?)\b/,
  cuisine: /\b(?:cuisines?|type of food|kind of food|italian|japanese|mexican|thai|indian|french|chinese|korean|mediterranean|seafood|sushi|pasta)\b/,
  vegetarian: /\b(?:vegetarian|vegan|meat|plant-based)\b/,
  outdoor: /\b(?:outdoor|outside|al fresco|terrace|patio)\b/,
  kids: /\b(?:kids?|children|little ones|kid-friendly|family-friendly)\b/,
  accessibility: /\b(?:wheelchair|accessib\w*|mobility|disabilit\w*|step-free)\b/,
  noise: /\b(?:quiet|noise|noisy|loud|lively|atmosphere|ambiance|ambience)\b/,
  music: /\b(?:music|band|live entertainment)\b/,
  gluten: /\b(?:gluten|celiac|coeliac|dietary|allerg\w*|intoleran\w*)\b/,
  view: /\b(?:views?|waterfront|ocean|seaside|harbou?r)\b/,
  hours: /\b(?:late|opening hours|open until|closing time|what time)\b/,
  price: /\b(?:price|budget|cost|cheap|expensive|afford)\b/,
  schedule: /\b(?:departure time|arrival time|time of day|morning flight|evening flight|red-eye)\b/,
  location: /\b(?:location|neighbou?rhood|area|downtown|central|close to|near)\b/,
  seat: /\b(?:aisle|window seat|seat class|business class|first class|economy|premium)\b/,
};

/** The concepts a preference is about: its subcategory's, else its text's. */
export function preferenceConcepts(subcategory: string, text: string): Set<string> {
  const own = conceptsIn(subcategory);
  return own.size ? own : conceptsIn(text);
}

/** The concepts a text names. */
export function conceptsIn(text: string): Set<string> {
  const t = text.toLowerCase();
  const out = new Set<string>();
  for (const [name, re] of Object.entries(CONCEPTS)) if (re.test(t)) out.add(name);
  return out;
}

/** A question or request (rather than a remark): it asks the user something. */
export function isQuestion(text: string): boolean {
  return /\?|^\s*(?:do|does|did|are|is|will|would|should|can|could|how|what|which|who|when|where|any|have)\b|\b(?:tell me|let me know|do you|would you|are you|please|share|describe|specify|prefer\w*|requirements?)\b/i.test(text);
}

/** A general "any preferences?" question that names nothing specific. */
export function isVague(text: string): boolean {
  return /\b(?:any|other|specific|particular|special|further|more)\b[^.?!]{0,40}\b(?:preferences?|requirements?|needs|requests?|wishes|requirements|expectations|things?)\b|\banything else\b|\bwhat (?:else )?(?:do|would) you (?:like|want|prefer|need)\b|\btell me (?:more )?about (?:your|what you)\b|\bwhat matters\b|\bwhat are you looking for\b/i.test(
    text,
  );
}
