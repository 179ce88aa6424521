/**
 * How the scripted customer puts things into words: who they are (from their user record) and what
 * each ground-truth write asks for, with the ids and choices the agent needs (orders, items with their
 * names, payment methods, addresses, flights, passengers). Deterministic; plain sentences an agent,
 * human or scripted, can act on.
 */
import { pyStr } from "../../../core/pyformat.js";
import type { Tables } from "../db.js";
import type { TauAction } from "../domain.js";
import { dictGet, isDict, iterate, type PyDict } from "../pyvalue.js";
import type { Domain } from "../tools/tool.js";

function field(record: unknown, ...path: string[]): unknown {
  let v = record;
  for (const k of path) v = isDict(v) ? dictGet(v as PyDict, k) : undefined;
  return v;
}

const text = (v: unknown) => (typeof v === "string" ? v : pyStr(v));

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** The customer's identity, as they would give it when asked. */
export function identitySentence(domain: Domain, userId: string, pristine: Tables): string {
  const user = pristine.users.get(userId);
  const first = text(field(user, "name", "first_name"));
  const last = text(field(user, "name", "last_name"));
  if (domain === "airline") return `My name is ${first} ${last} and my user id is ${userId}.`;
  return `My name is ${first} ${last}, my zip code is ${text(field(user, "address", "zip"))} and my email is ${text(field(user, "email"))}.`;
}

/** "item 9624127908 (Electric Kettle)", naming the item from the order when it is there. */
function itemName(pristine: Tables, orderId: unknown, itemId: unknown): string {
  const items = field(pristine.orders?.get(String(orderId)), "items");
  const item = Array.isArray(items) ? items.find((i) => field(i, "item_id") === itemId) : undefined;
  const name = field(item, "name");
  return typeof name === "string" ? `item ${text(itemId)} (${name})` : `item ${text(itemId)}`;
}

function items(pristine: Tables, orderId: unknown, ids: unknown): string {
  return list(safeIterate(ids).map((id) => itemName(pristine, orderId, id)));
}

function swaps(pristine: Tables, orderId: unknown, ids: unknown, newIds: unknown): string {
  const olds = safeIterate(ids);
  const news = safeIterate(newIds);
  return list(olds.map((id, i) => `${itemName(pristine, orderId, id)} for item ${text(news[i])}`));
}

function safeIterate(v: unknown): unknown[] {
  try {
    return iterate(v);
  } catch {
    return [v];
  }
}

function address(k: Record<string, unknown>): string {
  return (
    `address line 1 "${text(k.address1)}", address line 2 "${text(k.address2)}", city "${text(k.city)}", ` +
    `state "${text(k.state)}", zip "${text(k.zip)}", country "${text(k.country)}"`
  );
}

function flights(v: unknown): string {
  return list(safeIterate(v).map((f) => `${text(field(f, "flight_number"))} on ${text(field(f, "date"))}`));
}

function passengers(v: unknown): string {
  return list(safeIterate(v).map((p) => `${text(field(p, "first_name"))} ${text(field(p, "last_name"))} (born ${text(field(p, "dob"))})`));
}

function payments(v: unknown): string {
  return list(safeIterate(v).map((p) => `${text(field(p, "amount"))} with ${text(field(p, "payment_id"))}`));
}

/** One ground-truth write, as the customer asks for it. */
export function describeRequest(action: TauAction, pristine: Tables): string {
  const k = action.kwargs;
  switch (action.name) {
    case "cancel_pending_order":
      return `Please cancel my order ${text(k.order_id)}; the reason is "${text(k.reason)}".`;
    case "return_delivered_order_items":
      return `I'd like to return ${items(pristine, k.order_id, k.item_ids)} from my order ${text(k.order_id)}, with the refund going to ${text(k.payment_method_id)}.`;
    case "exchange_delivered_order_items":
      return `In my delivered order ${text(k.order_id)} I'd like to exchange ${swaps(pristine, k.order_id, k.item_ids, k.new_item_ids)}, using ${text(k.payment_method_id)} for any price difference.`;
    case "modify_pending_order_items":
      return `In my pending order ${text(k.order_id)} please change ${swaps(pristine, k.order_id, k.item_ids, k.new_item_ids)}, using ${text(k.payment_method_id)} for any price difference.`;
    case "modify_pending_order_address":
      return `Please change the shipping address of my order ${text(k.order_id)} to ${address(k)}.`;
    case "modify_pending_order_payment":
      return `Please switch the payment of my order ${text(k.order_id)} to ${text(k.payment_method_id)}.`;
    case "modify_user_address":
      return `Please update my default address to ${address(k)}.`;
    case "cancel_reservation":
      return `Please cancel my reservation ${text(k.reservation_id)}.`;
    case "update_reservation_baggages":
      return `For my reservation ${text(k.reservation_id)} I want ${text(k.total_baggages)} checked bags in total, ${text(k.nonfree_baggages)} of them paid, charged to ${text(k.payment_id)}.`;
    case "update_reservation_flights":
      return `Please change my reservation ${text(k.reservation_id)} to ${text(k.cabin)} class on the flights ${flights(k.flights)}, paying any difference with ${text(k.payment_id)}.`;
    case "update_reservation_passengers":
      return `Please update the passengers on my reservation ${text(k.reservation_id)} to ${passengers(k.passengers)}.`;
    case "book_reservation":
      return (
        `I'd like to book a ${text(k.flight_type)} trip from ${text(k.origin)} to ${text(k.destination)} in ${text(k.cabin)} class ` +
        `on the flights ${flights(k.flights)}, for the passengers ${passengers(k.passengers)}, with ${text(k.total_baggages)} checked bags ` +
        `(${text(k.nonfree_baggages)} of them paid), insurance "${text(k.insurance)}", paying ${payments(k.payment_methods)}.`
      );
    case "send_certificate":
      return `I'd like the compensation certificate of ${text(k.amount)} sent to my account ${text(k.user_id)}.`;
    default:
      return `I need help with ${action.name.replace(/_/g, " ")}.`;
  }
}

/** The parts of the instruction that ask for information (what the agent must tell), in the first person. */
export function informationWanted(instruction: string): string[] {
  const sentences = instruction.split(/(?<=[.!?])\s+/);
  return sentences
    .filter((s) => /\b(know|how many|how much|tracking|total|refund amount|price|cost)\b/i.test(s))
    .map((s) =>
      s
        .replace(/\bYou are\b/g, "I am")
        .replace(/\byou are\b/g, "I am")
        .replace(/\bYou\b/g, "I")
        .replace(/\byou\b/g, "I")
        .replace(/\b[Yy]our\b/g, "my"),
    );
}
