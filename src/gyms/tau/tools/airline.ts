/**
 * tau-bench's airline tools (14), ported for behaviour (see retail.ts for the approach). Kept quirks:
 * `get_reservation_details` says "user not found" for an unknown reservation, the one-stop search
 * builds the next day as `2024-05-{day+1}` without zero padding and prices the second leg on the
 * first leg's date, `send_certificate` returns nothing once three certificates exist, and booking
 * stores the caller's passenger and payment lists as given.
 */
import { pyJsonDumps } from "../../../core/pyformat.js";
import type { TauDb } from "../db.js";
import {
  add,
  contains,
  deepCopy,
  dictDelete,
  dictEntries,
  fstr,
  getItem,
  iterate,
  len,
  mul,
  neg,
  pyEq,
  pyGreater,
  pyIntOfString,
  pyLess,
  pyMax,
  pySum,
  setItem,
  sub,
  tail,
  truthy,
  type PyDict,
} from "../pyvalue.js";
import { calculateTool, lookupTool, str, strEnum, thinkTool, transferTool } from "./common.js";
import type { ParamSchema, TauTool } from "./tool.js";

const RESERVATION_ID = str("The reservation id: six capital letters and digits, e.g. 'ZFA04Y'.");
/** Changes to an existing reservation are paid the same way, and refuse certificates. */
const UPDATE_PAYMENT_ID = str(
  "The id of the payment method in the user's profile that pays any extra cost or receives any refund, e.g. 'credit_card_7815826' or 'gift_card_7815826'. Certificates cannot be used here, and a gift card must hold enough balance.",
);
const CABIN = strEnum(["basic_economy", "economy", "business"], "The cabin class: 'basic_economy', 'economy' or 'business'.");
const FLIGHT_DATE = str("The date the flight departs, as 'YYYY-MM-DD', e.g. '2024-05-01'.");

// The listing shows only top-level descriptions, so a list's description spells out its entries.
const FLIGHT_ENTRY = '{"flight_number": "HAT001", "date": "2024-05-01"} (the date it departs, YYYY-MM-DD)';
const PASSENGER_ENTRY = '{"first_name": "Noah", "last_name": "Brown", "dob": "1990-01-01"} (date of birth as YYYY-MM-DD)';

function flightList(description: string): ParamSchema {
  return {
    type: "array",
    description,
    items: {
      type: "object",
      properties: { flight_number: str("The flight number, e.g. 'HAT001'."), date: FLIGHT_DATE },
      required: ["flight_number", "date"],
    },
  };
}

function passengerList(description: string): ParamSchema {
  return {
    type: "array",
    description,
    items: {
      type: "object",
      properties: {
        first_name: str("The passenger's first name, e.g. 'Noah'."),
        last_name: str("The passenger's last name, e.g. 'Brown'."),
        dob: str("The passenger's date of birth, as 'YYYY-MM-DD', e.g. '1990-01-01'."),
      },
      required: ["first_name", "last_name", "dob"],
    },
  };
}

/** Looks up one flight date for booking; returns the error text, or the flight and its date record. */
function availableFlight(db: TauDb, flight: unknown, cabin: unknown, seatsNeeded: () => number): { error: string } | { data: unknown; date: unknown } {
  const flightNumber = getItem(flight, "flight_number");
  const flights = db.table("flights");
  if (!contains(flights, flightNumber)) return { error: `Error: flight ${fstr(flightNumber)} not found` };
  const data = getItem(flights, flightNumber);
  const date = getItem(flight, "date");
  if (!contains(getItem(data, "dates"), date)) return { error: `Error: flight ${fstr(flightNumber)} not found on date ${fstr(date)}` };
  const dateData = getItem(getItem(data, "dates"), date);
  if (!pyEq(getItem(dateData, "status"), "available")) {
    return { error: `Error: flight ${fstr(flightNumber)} not available on date ${fstr(getItem(flight, "date"))}` };
  }
  if (pyLess(getItem(getItem(dateData, "available_seats"), cabin), seatsNeeded())) {
    return { error: `Error: not enough seats on flight ${fstr(flightNumber)}` };
  }
  return { data, date: dateData };
}

/** Price the flight at the cabin's fare and copy its route onto it. */
function priceFlight(flight: unknown, found: { data: unknown; date: unknown }, cabin: unknown): void {
  setItem(flight, "price", getItem(getItem(found.date, "prices"), cabin));
  setItem(flight, "origin", getItem(found.data, "origin"));
  setItem(flight, "destination", getItem(found.data, "destination"));
}

const bookReservation: TauTool = {
  name: "book_reservation",
  description:
    "Book a new reservation for a user. Every flight must be available on its date with enough seats left in the cabin for all passengers. " +
    "The price is each flight's fare in the cabin times the number of passengers, plus $30 per passenger for travel insurance and $50 per non-free bag; " +
    "the payments must add up to exactly that total. A gift card or certificate must hold at least what it pays, and a certificate is used up by the booking. Returns the new reservation.",
  params: [
    ["user_id", str("The id of the user who books, e.g. 'sara_doe_496'.")],
    ["origin", str("The IATA code of the airport the trip starts from, e.g. 'SFO'.")],
    ["destination", str("The IATA code of the trip's destination airport, e.g. 'JFK'.")],
    ["flight_type", strEnum(["one_way", "round_trip"], "The kind of trip: 'one_way' or 'round_trip'.")],
    ["cabin", CABIN],
    ["flights", flightList(`Every flight of the trip, each as ${FLIGHT_ENTRY}.`)],
    ["passengers", passengerList(`Every passenger travelling, each as ${PASSENGER_ENTRY}.`)],
    [
      "payment_methods",
      {
        type: "array",
        description: 'How the booking is paid: one entry per payment method used, with the amount in dollars it pays, e.g. {"payment_id": "credit_card_7815826", "amount": 350}.',
        items: {
          type: "object",
          properties: {
            payment_id: str(
              "The id of a payment method saved in the user's profile, e.g. 'credit_card_7815826', 'gift_card_7815826' or 'certificate_7815826'.",
            ),
            amount: { type: "number", description: "The amount in dollars this payment method pays." },
          },
          required: ["payment_id", "amount"],
        },
      },
    ],
    ["total_baggages", { type: "integer", description: "The number of checked bags on the reservation, free and paid together." }],
    ["nonfree_baggages", { type: "integer", description: "How many of the checked bags are paid for ($50 each)." }],
    ["insurance", strEnum(["yes", "no"], "Whether to add travel insurance ($30 per passenger): 'yes' or 'no'.")],
  ],
  writes: true,
  invoke: (db, a) => {
    const users = db.table("users");
    const reservations = db.table("reservations");
    if (!contains(users, a.user_id)) return "Error: user not found";
    const user = getItem(users, a.user_id);
    // tau-bench assumes at most three bookings per task.
    let reservationId = "HATHAT";
    if (reservations.has(reservationId)) {
      reservationId = "HATHAU";
      if (reservations.has(reservationId)) reservationId = "HATHAV";
    }
    const reservation: Record<string, unknown> = {
      reservation_id: reservationId,
      user_id: a.user_id,
      origin: a.origin,
      destination: a.destination,
      flight_type: a.flight_type,
      cabin: a.cabin,
      flights: deepCopy(a.flights),
      passengers: a.passengers,
      payment_history: a.payment_methods,
      created_at: "2024-05-15T15:00:00",
      total_baggages: a.total_baggages,
      nonfree_baggages: a.nonfree_baggages,
      insurance: a.insurance,
    };
    let total: unknown = 0;
    for (const flight of iterate(reservation.flights)) {
      const found = availableFlight(db, flight, a.cabin, () => len(a.passengers));
      if ("error" in found) return found.error;
      priceFlight(flight, found, a.cabin);
      total = add(total, mul(getItem(flight, "price"), len(a.passengers)), "+=");
    }
    if (pyEq(a.insurance, "yes")) total = add(total, 30 * len(a.passengers), "+=");
    total = add(total, mul(50, a.nonfree_baggages), "+=");
    const methods = getItem(user, "payment_methods");
    for (const payment of iterate(a.payment_methods)) {
      const paymentId = getItem(payment, "payment_id");
      const amount = getItem(payment, "amount");
      if (!contains(methods, paymentId)) return `Error: payment method ${fstr(paymentId)} not found`;
      if (contains(["gift_card", "certificate"], getItem(getItem(methods, paymentId), "source"))) {
        if (pyLess(getItem(getItem(methods, paymentId), "amount"), amount)) {
          return `Error: not enough balance in payment method ${fstr(paymentId)}`;
        }
      }
    }
    const paid = () => pySum(iterate(a.payment_methods).map((p) => getItem(p, "amount")));
    if (!pyEq(paid(), total)) {
      return `Error: payment amount does not add up, total price is ${fstr(total)}, but paid ${fstr(paid())}`;
    }
    const owner = db.edit("users", a.user_id as string);
    const ownerMethods = getItem(owner, "payment_methods") as PyDict;
    for (const payment of iterate(a.payment_methods)) {
      const paymentId = getItem(payment, "payment_id");
      const amount = getItem(payment, "amount");
      const method = getItem(ownerMethods, paymentId);
      if (pyEq(getItem(method, "source"), "gift_card")) setItem(method, "amount", sub(getItem(method, "amount"), amount, "-="));
      else if (pyEq(getItem(method, "source"), "certificate")) dictDelete(ownerMethods, paymentId as string);
    }
    db.put("reservations", reservationId, reservation);
    (getItem(owner, "reservations") as unknown[]).push(reservationId);
    return pyJsonDumps(reservation);
  },
};

const cancelReservation: TauTool = {
  name: "cancel_reservation",
  description:
    "Cancel a whole reservation, every flight and passenger on it; a refund of each payment is added to its payment history. Returns the cancelled reservation.",
  params: [["reservation_id", RESERVATION_ID]],
  writes: true,
  invoke: (db, { reservation_id }) => {
    if (!contains(db.table("reservations"), reservation_id)) return "Error: reservation not found";
    const reservation = db.edit("reservations", reservation_id as string);
    const history = getItem(reservation, "payment_history");
    const refunds = iterate(history).map((p) => ({ payment_id: getItem(p, "payment_id"), amount: neg(getItem(p, "amount")) }));
    (history as unknown[]).push(...refunds);
    setItem(reservation, "status", "cancelled");
    return pyJsonDumps(reservation);
  },
};

const getReservationDetails = lookupTool(
  {
    name: "get_reservation_details",
    description:
      "Show a reservation: its user, route, trip type, cabin, flights with their prices, passengers, bags, insurance, payment history and when it was booked.",
    identifiesCustomer: true,
  },
  "reservations",
  ["reservation_id", RESERVATION_ID],
  "Error: user not found", // sic: tau-bench's text for a missing reservation
);

const getUserDetails = lookupTool(
  {
    name: "get_user_details",
    description:
      "Show a user's profile: name, address, email, date of birth, membership level, saved payment methods (with gift card and certificate balances), saved passengers and the ids of their reservations.",
    identifiesCustomer: true,
  },
  "users",
  ["user_id", str("The user id, e.g. 'sara_doe_496'.")],
  "Error: user not found",
);

const AIRPORTS: [string, string][] = [
  ["SFO", "San Francisco"],
  ["JFK", "New York"],
  ["LAX", "Los Angeles"],
  ["ORD", "Chicago"],
  ["DFW", "Dallas"],
  ["DEN", "Denver"],
  ["SEA", "Seattle"],
  ["ATL", "Atlanta"],
  ["MIA", "Miami"],
  ["BOS", "Boston"],
  ["PHX", "Phoenix"],
  ["IAH", "Houston"],
  ["LAS", "Las Vegas"],
  ["MCO", "Orlando"],
  ["EWR", "Newark"],
  ["CLT", "Charlotte"],
  ["MSP", "Minneapolis"],
  ["DTW", "Detroit"],
  ["PHL", "Philadelphia"],
  ["LGA", "LaGuardia"],
];

const listAllAirports: TauTool = {
  name: "list_all_airports",
  description: "List every airport the airline serves, as a map from its three-letter IATA code to its city.",
  params: [],
  invoke: () => pyJsonDumps(Object.fromEntries(AIRPORTS)),
};

const ORIGIN = str("The three-letter IATA code of the departure airport, e.g. 'JFK'.");
const DESTINATION = str("The three-letter IATA code of the arrival airport, e.g. 'LAX'.");

/** A flight without its `dates`, updated with one date's record (a search result). */
function flightOnDate(flight: unknown, dateRecord: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of dictEntries(flight as PyDict)) if (k !== "dates") setItem(out, k, v);
  for (const [k, v] of dictEntries(dateRecord as PyDict)) setItem(out, k, v);
  return out;
}

const searchDirectFlight: TauTool = {
  name: "search_direct_flight",
  description:
    "Find the nonstop flights from one airport to another that can be booked on a given date, with their times, seats left and prices per cabin.",
  params: [
    ["origin", ORIGIN],
    ["destination", DESTINATION],
    ["date", FLIGHT_DATE],
  ],
  invoke: (db, { origin, destination, date }) => {
    const results: unknown[] = [];
    for (const flight of db.table("flights").values()) {
      if (pyEq(getItem(flight, "origin"), origin) && pyEq(getItem(flight, "destination"), destination)) {
        const dates = getItem(flight, "dates");
        if (contains(dates, date) && pyEq(getItem(getItem(dates, date), "status"), "available")) {
          results.push(flightOnDate(flight, getItem(dates, date)));
        }
      }
    }
    return pyJsonDumps(results);
  },
};

const searchOnestopFlight: TauTool = {
  name: "search_onestop_flight",
  description:
    "Find connections with exactly one stop from one airport to another, leaving on a given date. Each result is a pair of bookable flights, " +
    "the second departing from where the first lands, after it lands (on the same day or the next), with their times, seats left and prices per cabin.",
  params: [
    ["origin", ORIGIN],
    ["destination", DESTINATION],
    ["date", str("The date the first flight departs, as 'YYYY-MM-DD', e.g. '2024-05-01'.")],
  ],
  invoke: (db, { origin, destination, date }) => {
    const flights = [...db.table("flights").values()];
    const results: unknown[] = [];
    for (const first of flights) {
      if (!pyEq(getItem(first, "origin"), origin)) continue;
      for (const second of flights) {
        if (!(pyEq(getItem(second, "destination"), destination) && pyEq(getItem(first, "destination"), getItem(second, "origin")))) continue;
        const arrival = getItem(first, "scheduled_arrival_time_est");
        const nextDay = contains(arrival, "+1");
        const date2 = nextDay ? `2024-05-${pyIntOfString(tail(date, 2)) + 1}` : date;
        if (pyGreater(arrival, getItem(second, "scheduled_departure_time_est"))) continue;
        const dates1 = getItem(first, "dates");
        const dates2 = getItem(second, "dates");
        if (!(contains(dates1, date) && contains(dates2, date2))) continue;
        if (!(pyEq(getItem(getItem(dates1, date), "status"), "available") && pyEq(getItem(getItem(dates2, date2), "status"), "available"))) continue;
        const leg1 = flightOnDate(first, getItem(dates1, date));
        setItem(leg1, "date", date);
        // tau-bench merges the second leg's record for the first leg's date (a KeyError if it has none).
        const leg2 = flightOnDate(second, getItem(dates2, date));
        setItem(leg2, "date", date2);
        results.push([leg1, leg2]);
      }
    }
    return pyJsonDumps(results);
  },
};

const CERTIFICATE_IDS = [3221322, 3221323, 3221324];

const sendCertificate: TauTool = {
  name: "send_certificate",
  description:
    "Give a user a travel certificate worth the given amount; it is added to their saved payment methods. A certificate is real money: issue one only when it is warranted, for the right amount.",
  params: [
    ["user_id", str("The id of the user who receives the certificate, e.g. 'sara_doe_496'.")],
    ["amount", { type: "number", description: "The certificate's value in dollars." }],
  ],
  writes: true,
  invoke: (db, { user_id, amount }) => {
    if (!contains(db.table("users"), user_id)) return "Error: user not found";
    const current = getItem(getItem(db.table("users"), user_id), "payment_methods");
    for (const id of CERTIFICATE_IDS) {
      const paymentId = `certificate_${id}`;
      if (!contains(current, paymentId)) {
        const methods = getItem(db.edit("users", user_id as string), "payment_methods");
        setItem(methods, paymentId, { source: "certificate", amount, id: paymentId });
        return `Certificate ${paymentId} added to user ${fstr(user_id)} with amount ${fstr(amount)}.`;
      }
    }
    return null;
  },
};

/**
 * Baggage and flight updates check their payment method the same way: it must be the reservation
 * owner's, not a certificate, and a gift card must cover the total. Gives the error text, if any.
 */
function updatePaymentRefusal(db: TauDb, reservation: unknown, paymentId: unknown, total: unknown): string | undefined {
  const methods = getItem(getItem(db.table("users"), getItem(reservation, "user_id")), "payment_methods");
  if (!contains(methods, paymentId)) return "Error: payment method not found";
  const method = getItem(methods, paymentId);
  if (pyEq(getItem(method, "source"), "certificate")) return "Error: certificate cannot be used to update reservation";
  if (pyEq(getItem(method, "source"), "gift_card") && pyLess(getItem(method, "amount"), total)) return "Error: gift card balance is not enough";
  return undefined;
}

/** Take the amount from a gift card (other payment methods have no balance here). */
function charge(db: TauDb, reservation: unknown, paymentId: unknown, total: unknown): void {
  const userId = getItem(reservation, "user_id") as string;
  const current = getItem(getItem(getItem(db.table("users"), userId), "payment_methods"), paymentId);
  if (!pyEq(getItem(current, "source"), "gift_card")) return;
  const method = getItem(getItem(db.edit("users", userId), "payment_methods"), paymentId);
  setItem(method, "amount", sub(getItem(method, "amount"), total, "-="));
}

/** Record a non-zero payment on the reservation. */
function recordPayment(reservation: unknown, paymentId: unknown, total: unknown): void {
  if (!pyEq(total, 0)) (getItem(reservation, "payment_history") as unknown[]).push({ payment_id: paymentId, amount: total });
}

const updateReservationBaggages: TauTool = {
  name: "update_reservation_baggages",
  description:
    "Change the number of checked bags on a reservation. Each non-free bag beyond those the reservation already has costs $50; fewer bags refund nothing. Returns the updated reservation.",
  params: [
    ["reservation_id", RESERVATION_ID],
    ["total_baggages", { type: "integer", description: "The new number of checked bags on the reservation, free and paid together." }],
    ["nonfree_baggages", { type: "integer", description: "The new number of paid (non-free) checked bags." }],
    ["payment_id", UPDATE_PAYMENT_ID],
  ],
  writes: true,
  invoke: (db, { reservation_id, total_baggages, nonfree_baggages, payment_id }) => {
    const reservations = db.table("reservations");
    if (!contains(reservations, reservation_id)) return "Error: reservation not found";
    const current = getItem(reservations, reservation_id);
    const total = mul(50, pyMax(0, sub(nonfree_baggages, getItem(current, "nonfree_baggages"))));
    const refused = updatePaymentRefusal(db, current, payment_id, total);
    if (refused) return refused;
    const reservation = db.edit("reservations", reservation_id as string);
    setItem(reservation, "total_baggages", total_baggages);
    setItem(reservation, "nonfree_baggages", nonfree_baggages);
    charge(db, reservation, payment_id, total);
    recordPayment(reservation, payment_id, total);
    return pyJsonDumps(reservation);
  },
};

const updateReservationFlights: TauTool = {
  name: "update_reservation_flights",
  description:
    "Change the flights or the cabin of a reservation. A flight it already has, kept in the same cabin, keeps the price paid; every other flight is priced at its current fare and must have enough seats. " +
    "The difference from what was paid, for all passengers, is charged to or refunded to the given payment method. Returns the updated reservation.",
  params: [
    ["reservation_id", RESERVATION_ID],
    ["cabin", CABIN],
    [
      "flights",
      flightList(
        `The complete list of flights the reservation will have, each as ${FLIGHT_ENTRY}: include the flights that do not change too, or they are dropped.`,
      ),
    ],
    ["payment_id", UPDATE_PAYMENT_ID],
  ],
  writes: true,
  invoke: (db, { reservation_id, cabin, flights, payment_id }) => {
    const reservations = db.table("reservations");
    if (!contains(reservations, reservation_id)) return "Error: reservation not found";
    const current = getItem(reservations, reservation_id);
    const passengers = len(getItem(current, "passengers"));
    let total: unknown = 0;
    const newFlights = deepCopy(flights);
    for (const flight of iterate(newFlights)) {
      // A segment the reservation already has, in the same cabin, keeps its price.
      const kept = iterate(getItem(current, "flights")).filter(
        (f) =>
          pyEq(getItem(f, "flight_number"), getItem(flight, "flight_number")) &&
          pyEq(getItem(f, "date"), getItem(flight, "date")) &&
          pyEq(cabin, getItem(current, "cabin")),
      );
      if (truthy(kept)) {
        total = add(total, mul(getItem(kept[0], "price"), passengers), "+=");
        setItem(flight, "price", getItem(kept[0], "price"));
        setItem(flight, "origin", getItem(kept[0], "origin"));
        setItem(flight, "destination", getItem(kept[0], "destination"));
        continue;
      }
      const found = availableFlight(db, flight, cabin, () => passengers);
      if ("error" in found) return found.error;
      priceFlight(flight, found, cabin);
      total = add(total, mul(getItem(flight, "price"), passengers), "+=");
    }
    const oldFares = pySum(iterate(getItem(current, "flights")).map((f) => getItem(f, "price")));
    total = sub(total, mul(oldFares, passengers), "-=");
    const refused = updatePaymentRefusal(db, current, payment_id, total);
    if (refused) return refused;
    const reservation = db.edit("reservations", reservation_id as string);
    charge(db, reservation, payment_id, total);
    setItem(reservation, "flights", newFlights);
    recordPayment(reservation, payment_id, total);
    return pyJsonDumps(reservation);
  },
};

const updateReservationPassengers: TauTool = {
  name: "update_reservation_passengers",
  description: "Replace the passengers' details on a reservation; the number of passengers cannot change. Returns the updated reservation.",
  params: [
    ["reservation_id", RESERVATION_ID],
    ["passengers", passengerList(`The details of every passenger on the reservation, as many as it has now, each as ${PASSENGER_ENTRY}.`)],
  ],
  writes: true,
  invoke: (db, { reservation_id, passengers }) => {
    const reservations = db.table("reservations");
    if (!contains(reservations, reservation_id)) return "Error: reservation not found";
    if (len(passengers) !== len(getItem(getItem(reservations, reservation_id), "passengers"))) {
      return "Error: number of passengers does not match";
    }
    const reservation = db.edit("reservations", reservation_id as string);
    setItem(reservation, "passengers", passengers);
    return pyJsonDumps(reservation);
  },
};

/** The airline tools in tau-bench's order (the order of the `[search] tools` listing). */
export const AIRLINE_TOOLS: readonly TauTool[] = [
  bookReservation,
  calculateTool,
  cancelReservation,
  getReservationDetails,
  getUserDetails,
  listAllAirports,
  searchDirectFlight,
  searchOnestopFlight,
  sendCertificate,
  thinkTool,
  transferTool,
  updateReservationBaggages,
  updateReservationFlights,
  updateReservationPassengers,
];
