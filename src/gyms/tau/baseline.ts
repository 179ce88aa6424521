/**
 * TauGym baseline: a rule-based service agent that uses only what the agent sees. It asks the customer
 * to identify themselves and state the request, authenticates them (email, or name and zip, for retail;
 * user id for airline), reads the request's ids and choices from the customer's words with patterns,
 * repeats the change back for a yes/no confirmation, makes the one matching tool call, reports back, and
 * transfers to a human agent when asked or when it cannot make sense of the request.
 */
import { lastFeedback, lastToolArgs, toolCallMessage } from "../../agents/message.js";
import type { AgentReply, AgentSession, AgentView, Task } from "../../core/types.js";
import type { TauAction } from "./domain.js";
import type { TauPayload } from "./tasks.js";
import { TRANSFER_TOOL } from "./tools/common.js";
import type { Domain } from "./tools/tool.js";

const ORDER = /#W\d{7}/;
const PAYMENT = /\b(?:credit_card|gift_card|paypal|certificate)_\d+\b/;
const RESERVATION = /\breservation ([A-Z0-9]{6})\b/;
const ADDRESS = /address line 1 "([^"]*)", address line 2 "([^"]*)", city "([^"]*)", state "([^"]*)", zip "([^"]*)", country "([^"]*)"/;
const YES = /\b(yes|yeah|sure|go ahead|please do|confirm(ed)?)\b/i;
const HUMAN = /\b(human|transfer me|real person|representative)\b/i;

interface Planned {
  action: TauAction;
  /** What the agent says the change is, for the confirmation question. */
  summary: string;
}

const all = (re: RegExp, text: string) => [...text.matchAll(new RegExp(re.source, "g"))];

/** The identity lookup the customer's words allow, if any. */
export function identityLookup(domain: Domain, text: string): TauAction | undefined {
  if (domain === "airline") {
    const id = /\b([a-z]+_[a-z]+_\d+)\b/.exec(text);
    return id ? { name: "get_user_details", kwargs: { user_id: id[1] } } : undefined;
  }
  const email = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(text);
  if (email) return { name: "find_user_id_by_email", kwargs: { email: email[0] } };
  const name = /\bname is ([A-Z][\w'-]*) ([A-Z][\w'-]*)/i.exec(text);
  const zip = /\bzip(?: code)?(?: is)? (\d{5})\b/i.exec(text);
  if (name && zip) return { name: "find_user_id_by_name_zip", kwargs: { first_name: name[1], last_name: name[2], zip: zip[1] } };
  return undefined;
}

function flightsIn(text: string) {
  return all(/\b(HAT\d{3}) on (\d{4}-\d{2}-\d{2})\b/, text).map((m) => ({ flight_number: m[1], date: m[2] }));
}

function passengersIn(text: string) {
  return all(/([A-Z][\w'-]*) ([A-Z][\w'-]*) \(born (\d{4}-\d{2}-\d{2})\)/, text).map((m) => ({ first_name: m[1], last_name: m[2], dob: m[3] }));
}

function cabinIn(text: string): string | undefined {
  return /\b(basic_economy|economy|business)\b/.exec(text)?.[1];
}

/** The change a customer's message asks for, read with patterns; undefined when nothing fits. */
export function readRequest(domain: Domain, text: string, userId: string | undefined): Planned | undefined {
  if (HUMAN.test(text)) return { action: { name: TRANSFER_TOOL, kwargs: { summary: text.slice(0, 300) } }, summary: "transfer you to a human agent" };
  if (domain === "retail") {
    const order = ORDER.exec(text)?.[0];
    const payment = PAYMENT.exec(text)?.[0];
    const address = ADDRESS.exec(text);
    const addressArgs = address
      ? { address1: address[1], address2: address[2], city: address[3], state: address[4], country: address[6], zip: address[5] }
      : undefined;
    if (/default address/i.test(text) && addressArgs && userId) {
      return { action: { name: "modify_user_address", kwargs: { user_id: userId, ...addressArgs } }, summary: "update your default address" };
    }
    if (!order) return undefined;
    const pairs = all(/item (\d{10})\b[^.;]*? for item (\d{10})\b/, text);
    const items = all(/\bitem (\d{10})\b/, text).map((m) => m[1]);
    if (/\bcancel\b/i.test(text)) {
      const reason = /mistake/i.test(text) ? "ordered by mistake" : "no longer needed";
      return { action: { name: "cancel_pending_order", kwargs: { order_id: order, reason } }, summary: `cancel order ${order} (${reason})` };
    }
    if (/shipping address/i.test(text) && addressArgs) {
      return { action: { name: "modify_pending_order_address", kwargs: { order_id: order, ...addressArgs } }, summary: `change the shipping address of ${order}` };
    }
    if (/\b(switch|change)\b.*\bpayment\b/i.test(text) && payment) {
      return { action: { name: "modify_pending_order_payment", kwargs: { order_id: order, payment_method_id: payment } }, summary: `pay ${order} with ${payment}` };
    }
    if (/\breturn\b/i.test(text) && items.length > 0 && payment) {
      return {
        action: { name: "return_delivered_order_items", kwargs: { order_id: order, item_ids: items, payment_method_id: payment } },
        summary: `return items ${items.join(", ")} of ${order}, refunded to ${payment}`,
      };
    }
    if (pairs.length > 0 && payment) {
      const name = /\bexchange\b/i.test(text) ? "exchange_delivered_order_items" : "modify_pending_order_items";
      const kwargs = { order_id: order, item_ids: pairs.map((m) => m[1]), new_item_ids: pairs.map((m) => m[2]), payment_method_id: payment };
      return { action: { name, kwargs }, summary: `swap ${pairs.map((m) => `${m[1]} for ${m[2]}`).join(", ")} in ${order}, settling the difference with ${payment}` };
    }
    return undefined;
  }
  const reservation = RESERVATION.exec(text)?.[1];
  const payment = PAYMENT.exec(text)?.[0];
  const bags = /(\d+) checked bags(?: in total)?,? \(?(\d+) of them paid/.exec(text);
  if (/\bbook\b/i.test(text) && userId) {
    const route = /from ([A-Z]{3}) to ([A-Z]{3})/.exec(text);
    const payments = all(/(\d+(?:\.\d+)?) with ((?:credit_card|gift_card|certificate)_\d+)/, text).map((m) => ({ payment_id: m[2], amount: Number(m[1]) }));
    if (!route || !bags) return undefined;
    const kwargs = {
      user_id: userId,
      origin: route[1],
      destination: route[2],
      flight_type: /round_trip/.test(text) ? "round_trip" : "one_way",
      cabin: cabinIn(text) ?? "economy",
      flights: flightsIn(text),
      passengers: passengersIn(text),
      payment_methods: payments,
      total_baggages: Number(bags[1]),
      nonfree_baggages: Number(bags[2]),
      insurance: /insurance "yes"/.test(text) ? "yes" : "no",
    };
    return { action: { name: "book_reservation", kwargs }, summary: `book ${route[1]} to ${route[2]}` };
  }
  if (/certificate/i.test(text) && userId) {
    const amount = /certificate of (\d+(?:\.\d+)?)/.exec(text);
    if (amount) return { action: { name: "send_certificate", kwargs: { user_id: userId, amount: Number(amount[1]) } }, summary: `send a certificate of ${amount[1]}` };
  }
  if (!reservation) return undefined;
  if (/\bcancel\b/i.test(text)) return { action: { name: "cancel_reservation", kwargs: { reservation_id: reservation } }, summary: `cancel reservation ${reservation}` };
  if (bags && payment) {
    return {
      action: { name: "update_reservation_baggages", kwargs: { reservation_id: reservation, total_baggages: Number(bags[1]), nonfree_baggages: Number(bags[2]), payment_id: payment } },
      summary: `set ${bags[1]} bags (${bags[2]} paid) on ${reservation}`,
    };
  }
  if (/passengers/i.test(text)) {
    return { action: { name: "update_reservation_passengers", kwargs: { reservation_id: reservation, passengers: passengersIn(text) } }, summary: `update the passengers of ${reservation}` };
  }
  const flights = flightsIn(text);
  if (flights.length > 0 && payment) {
    const cabin = cabinIn(text) ?? "economy";
    return {
      action: { name: "update_reservation_flights", kwargs: { reservation_id: reservation, cabin, flights, payment_id: payment } },
      summary: `change ${reservation} to ${cabin} on ${flights.map((f) => f.flight_number).join(", ")}`,
    };
  }
  return undefined;
}

/** Strip the `Reward:` line training mode appends to every observation. */
function observationText(feedback: string): string {
  return feedback.replace(/\nReward: [^\n]*$/, "");
}

export class TauBaseline implements AgentSession {
  private readonly domain: Domain;
  private readonly customerSaid: string[];
  private userId?: string;
  private pending?: Planned;
  private lastCall?: { action: TauAction; kind: "lookup" | "change" };
  private readonly done = new Set<string>();
  private readonly triedLookups = new Set<string>();
  private stalls = 0;

  constructor(task: Task<TauPayload>) {
    this.domain = task.payload.domain;
    this.customerSaid = [task.payload.firstMessage];
  }

  async act(view: AgentView): Promise<AgentReply> {
    const report = this.observe(view);
    if (report) return report;
    if (!this.userId) {
      const latest = this.customerSaid[this.customerSaid.length - 1];
      const lookup = identityLookup(this.domain, latest);
      if (lookup && !this.triedLookups.has(JSON.stringify(lookup))) {
        this.triedLookups.add(JSON.stringify(lookup));
        return this.call(lookup, "lookup");
      }
      return this.stall(
        this.domain === "retail"
          ? "Before I can help, please confirm your identity: your email address, or your first and last name and zip code. Also tell me what you need, with the order id and details."
          : "Before I can help, please tell me your user id, and what you need with the reservation id and details.",
      );
    }
    const latest = this.customerSaid[this.customerSaid.length - 1];
    if (this.pending && YES.test(latest)) {
      const planned = this.pending;
      this.pending = undefined;
      return this.call(planned.action, "change");
    }
    const request = readRequest(this.domain, latest, this.userId);
    if (request && !this.done.has(JSON.stringify(request.action))) {
      if (request.action.name === TRANSFER_TOOL) return this.call(request.action, "change");
      this.pending = request;
      return this.say(`To confirm: I will ${request.summary}. Shall I proceed (yes/no)?`);
    }
    return this.stall("How else can I help you? Please give me the order or reservation id and the details of what you need.");
  }

  /** Read the result of the previous move; returns the report to make after a change, if any. */
  private observe(view: AgentView): AgentReply | undefined {
    const feedback = lastFeedback(view);
    const last = lastToolArgs(view);
    if (feedback === undefined || !last) return undefined;
    const text = observationText(feedback);
    if (last.choice === "action") {
      this.customerSaid.push(text);
      return undefined;
    }
    if (last.choice !== "answer" || !this.lastCall) return undefined;
    const { action, kind } = this.lastCall;
    this.lastCall = undefined;
    const failed = text.startsWith("Error") || text.startsWith("Invalid") || text.startsWith("Unknown");
    if (kind === "lookup") {
      if (!failed) this.userId = action.name === "get_user_details" ? String(action.kwargs.user_id) : text.trim();
      return failed ? this.say("I could not find your account with those details. Could you check them and tell me again?") : undefined;
    }
    if (failed) return this.say(`I could not complete that: ${text}. Could you check the details?`);
    this.done.add(JSON.stringify(action));
    const status = /"status": "([^"]+)"/.exec(text)?.[1];
    return this.say(`That is done${status ? ` (status: ${status})` : ""}. Is there anything else I can help you with?`);
  }

  private call(action: TauAction, kind: "lookup" | "change"): AgentReply {
    this.lastCall = { action, kind };
    return { message: toolCallMessage("answer", JSON.stringify({ name: action.name, arguments: action.kwargs })) };
  }

  private say(text: string): AgentReply {
    return { message: toolCallMessage("action", text) };
  }

  /** Ask again; after a few fruitless rounds, hand the customer to a human agent. */
  private stall(question: string): AgentReply {
    this.stalls++;
    if (this.stalls > 3) return this.call({ name: TRANSFER_TOOL, kwargs: { summary: "Could not identify the request." } }, "change");
    return this.say(question);
  }
}
