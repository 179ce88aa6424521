/** Every aspect's domain, and preference templates by key. */
import type { Aspect } from "../../aspects.js";
import { apartmentDomain } from "./apartment.js";
import { flightDomain } from "./flight.js";
import { hotelDomain } from "./hotel.js";
import { rentalCarDomain } from "./rental-car.js";
import { restaurantDomain } from "./restaurant.js";
import type { AspectDomain, PrefTemplate } from "./types.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDomain = AspectDomain<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTemplate = PrefTemplate<any>;

export const DOMAINS: Record<Aspect, AnyDomain> = {
  flight: flightDomain,
  hotel: hotelDomain,
  apartment: apartmentDomain,
  rental_car: rentalCarDomain,
  restaurant: restaurantDomain,
};

export const TEMPLATES: ReadonlyMap<string, { aspect: Aspect; template: AnyTemplate }> = new Map(
  Object.values(DOMAINS).flatMap((d) => d.templates.map((t) => [t.key, { aspect: d.aspect, template: t }] as const)),
);

export type { AnyDomain, AnyTemplate };
