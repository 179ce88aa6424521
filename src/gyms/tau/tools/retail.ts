/**
 * tau-bench's retail tools (16), ported for behaviour: the same argument binding, checks in the same
 * order, the same error strings, the same state changes and the same `json.dumps` outputs. Arguments
 * are untyped, as in Python: every access goes through the Python-semantics helpers, so a wrong type
 * fails the way it does there. Names, parameters, types and enums are tau-bench's; the descriptions
 * the agent reads are our own words.
 */
import { pyJsonDumps } from "../../../core/pyformat.js";
import type { TauDb } from "../db.js";
import {
  add,
  contains,
  count,
  fstr,
  getItem,
  iterate,
  len,
  lower,
  pyAbs,
  pyEq,
  pyGreater,
  pyLess,
  round2,
  setItem,
  sorted,
  sub,
  truthy,
  type PyDict,
} from "../pyvalue.js";
import { calculateTool, lookupTool, str, strEnum, strList, thinkTool, transferTool } from "./common.js";
import type { ParamSchema, TauTool } from "./tool.js";

const ORDER_ID = str("The order id: '#W' and seven digits, e.g. '#W0000000'; the leading '#' is part of the id.");
const ADDRESS: [string, ParamSchema][] = [
  ["address1", str("The street line of the address, e.g. '123 Main St'.")],
  ["address2", str("The second address line (apartment, suite, unit), e.g. 'Apt 1'; an empty string '' when there is none.")],
  ["city", str("The city, e.g. 'San Francisco'.")],
  ["state", str("The state as its two-letter code, e.g. 'CA'.")],
  ["country", str("The country, e.g. 'USA'.")],
  ["zip", str("The five-digit zip code, as a string, e.g. '12345'.")],
];
const USER_ID = str("The user id: first name, last name and a number joined by underscores, e.g. 'sara_doe_496'.");
const ITEM_ID_FORMAT = "each a ten-digit string such as '1008292230'";

/** The parameters of exchanging (delivered order) and swapping (pending order) items, which settle a price difference alike. */
function itemSwapParams(verb: "exchange" | "swap"): [string, ParamSchema][] {
  return [
    ["order_id", ORDER_ID],
    ["item_ids", strList(`The ids of the order's items to ${verb}, ${ITEM_ID_FORMAT}; repeat an id to cover several units of the same item.`)],
    [
      "new_item_ids",
      strList(
        `The ids of the new items, ${ITEM_ID_FORMAT}, in the same order as item_ids: each replaces the item at the same position and must be an available item of the same product. An id may repeat.`,
      ),
    ],
    [
      "payment_method_id",
      str(
        "The id of the user's payment method that pays the price difference, or receives it when the new items cost less, e.g. 'credit_card_0000000', 'paypal_0000000' or 'gift_card_0000000'. The user's and the order's details list these ids.",
      ),
    ],
  ];
}

/** Tools that change something on the user's behalf need their explicit consent first. */
const CONFIRM_FIRST = "Before calling, tell the user exactly what will change and get an explicit yes.";

function addressOf(a: Record<string, unknown>): Record<string, unknown> {
  return { address1: a.address1, address2: a.address2, city: a.city, state: a.state, country: a.country, zip: a.zip };
}

/** `[item["item_id"] for item in order["items"]]`. */
function itemIds(order: unknown): unknown[] {
  return iterate(getItem(order, "items")).map((item) => getItem(item, "item_id"));
}

/** The first order item with this item id (`[...][0]`; the count check guarantees one exists). */
function firstItem(order: unknown, itemId: unknown): unknown {
  return getItem(
    iterate(getItem(order, "items")).filter((item) => pyEq(getItem(item, "item_id"), itemId)),
    0,
  );
}

/** `for item_id in item_ids: if item_ids.count(item_id) > all_item_ids.count(item_id)`: the first shortfall. */
function missingItem(itemIdsArg: unknown, all: unknown[]): { id: unknown } | undefined {
  for (const id of iterate(itemIdsArg)) {
    if (pyGreater(count(itemIdsArg, id), count(all, id))) return { id };
  }
  return undefined;
}

function zip(a: unknown, b: unknown): [unknown, unknown][] {
  const xs = iterate(a);
  const ys = iterate(b);
  return xs.slice(0, Math.min(xs.length, ys.length)).map((x, i) => [x, ys[i]]);
}

/** The price difference of swapping items for variants, or the error text of the first bad variant. */
function priceDifference(db: TauDb, order: unknown, ids: unknown, newIds: unknown): { diff: unknown } | { error: string } {
  const products = db.table("products");
  let diff: unknown = 0;
  for (const [itemId, newItemId] of zip(ids, newIds)) {
    const item = firstItem(order, itemId);
    const variants = getItem(getItem(products, getItem(item, "product_id")), "variants");
    if (!(contains(variants, newItemId) && truthy(getItem(getItem(variants, newItemId), "available")))) {
      return { error: `Error: new item ${fstr(newItemId)} not found or available` };
    }
    diff = add(diff, sub(getItem(getItem(variants, newItemId), "price"), getItem(item, "price")), "+=");
  }
  return { diff };
}

/**
 * The order a tool acts on, which must exist and be in the status the tool needs, else the tool's
 * error text (`Error: non-pending order cannot be modified`).
 */
function orderInStatus(db: TauDb, orderId: unknown, status: "pending" | "delivered", refusedAs: string): { order: unknown } | { error: string } {
  const orders = db.table("orders");
  if (!contains(orders, orderId)) return { error: "Error: order not found" };
  const order = getItem(orders, orderId);
  return pyEq(getItem(order, "status"), status) ? { order } : { error: `Error: non-${status} order cannot be ${refusedAs}` };
}

/**
 * What exchanging and modifying items both check, in tau-bench's order: each listed item is in the
 * order (as often as listed), as many new ids as old, each new item an available variant of the same
 * product, the payment method the user's. Gives the price difference (an exchange rounds it to cents
 * before anything else, as tau-bench does) and the payment method.
 */
function checkItemSwap(
  db: TauDb,
  order: unknown,
  { item_ids, new_item_ids, payment_method_id }: Record<string, unknown>,
  roundDifference: boolean,
): { diff: unknown; method: unknown } | { error: string } {
  const missing = missingItem(item_ids, itemIds(order));
  if (missing) return { error: `Error: ${fstr(missing.id)} not found` };
  if (len(item_ids) !== len(new_item_ids)) return { error: "Error: the number of items to be exchanged should match" };
  const priced = priceDifference(db, order, item_ids, new_item_ids);
  if ("error" in priced) return priced;
  const diff = roundDifference ? round2(priced.diff) : priced.diff;
  const methods = userPaymentMethods(db, order);
  if (!contains(methods, payment_method_id)) return { error: "Error: payment method not found" };
  return { diff, method: getItem(methods, payment_method_id) };
}

const isGiftCard = (method: unknown) => pyEq(getItem(method, "source"), "gift_card");

function userPaymentMethods(db: TauDb, order: unknown): unknown {
  return getItem(getItem(db.table("users"), getItem(order, "user_id")), "payment_methods");
}

/** A payment method of the order's user, for writing. */
function editPaymentMethod(db: TauDb, userId: unknown, paymentMethodId: unknown): PyDict {
  const user = db.edit("users", userId as string);
  return getItem(getItem(user, "payment_methods"), paymentMethodId) as PyDict;
}

const cancelPendingOrder: TauTool = {
  name: "cancel_pending_order",
  description:
    `Cancel an order whose status is 'pending'; an order already processed or delivered cannot be cancelled. ${CONFIRM_FIRST} ` +
    "The order's status becomes 'cancelled' and every payment on it is refunded: a gift card gets its money back at once, other payment methods within 5-7 business days. Returns the updated order.",
  params: [
    ["order_id", ORDER_ID],
    [
      "reason",
      strEnum(["no longer needed", "ordered by mistake"], "Why the user cancels: exactly 'no longer needed' or 'ordered by mistake'; no other reason is accepted."),
    ],
  ],
  writes: true,
  invoke: (db, { order_id, reason }) => {
    const found = orderInStatus(db, order_id, "pending", "cancelled");
    if ("error" in found) return found.error;
    if (!contains(["no longer needed", "ordered by mistake"], reason)) return "Error: invalid reason";
    const order = db.edit("orders", order_id as string);
    const refunds: unknown[] = [];
    for (const payment of iterate(getItem(order, "payment_history"))) {
      const paymentId = getItem(payment, "payment_method_id");
      refunds.push({ transaction_type: "refund", amount: getItem(payment, "amount"), payment_method_id: paymentId });
      if (contains(paymentId, "gift_card")) {
        const method = editPaymentMethod(db, getItem(order, "user_id"), paymentId);
        setItem(method, "balance", add(getItem(method, "balance"), getItem(payment, "amount"), "+="));
        setItem(method, "balance", round2(getItem(method, "balance")));
      }
    }
    setItem(order, "status", "cancelled");
    setItem(order, "cancel_reason", reason);
    (getItem(order, "payment_history") as unknown[]).push(...refunds);
    return pyJsonDumps(order);
  },
};

const exchangeDeliveredOrderItems: TauTool = {
  name: "exchange_delivered_order_items",
  description:
    "Exchange items of a delivered order for other items (a different variant, e.g. another color or size) of the same products. " +
    "A delivered order can be returned or exchanged only once, so gather everything the user wants to exchange before calling. " +
    `${CONFIRM_FIRST} The order's status becomes 'exchange requested'; a gift card paying the difference must hold enough balance. Returns the updated order.`,
  params: itemSwapParams("exchange"),
  writes: true,
  invoke: (db, args) => {
    const { order_id, item_ids, new_item_ids, payment_method_id } = args;
    const found = orderInStatus(db, order_id, "delivered", "exchanged");
    if ("error" in found) return found.error;
    const swap = checkItemSwap(db, found.order, args, true);
    if ("error" in swap) return swap.error;
    const { diff, method } = swap;
    if (isGiftCard(method) && pyLess(getItem(method, "balance"), diff)) {
      return "Error: insufficient gift card balance to pay for the price difference";
    }
    const order = db.edit("orders", order_id as string);
    setItem(order, "status", "exchange requested");
    setItem(order, "exchange_items", sorted(item_ids));
    setItem(order, "exchange_new_items", sorted(new_item_ids));
    setItem(order, "exchange_payment_method_id", payment_method_id);
    setItem(order, "exchange_price_difference", diff);
    return pyJsonDumps(order);
  },
};

const findUserIdByEmail: TauTool = {
  name: "find_user_id_by_email",
  description: "Look up a user's id by their email address (case does not matter). Returns the user id, or an error when no user has that email.",
  params: [["email", str("The user's email address, e.g. 'someone@example.com'.")]],
  identifiesCustomer: true,
  invoke: (db, { email }) => {
    for (const [userId, profile] of db.table("users")) {
      if (lower(getItem(profile, "email")) === lower(email)) return userId;
    }
    return "Error: user not found";
  },
};

const findUserIdByNameZip: TauTool = {
  name: "find_user_id_by_name_zip",
  description:
    "Look up a user's id by first name, last name and zip code; returns an error when no user matches all three. " +
    "Try the email lookup first: use this one only when the user cannot give their email or the email lookup finds nobody.",
  params: [
    ["first_name", str("The user's first name, e.g. 'John'.")],
    ["last_name", str("The user's last name, e.g. 'Doe'.")],
    ["zip", str("The five-digit zip code of the user's address, as a string, e.g. '12345'.")],
  ],
  identifiesCustomer: true,
  invoke: (db, { first_name, last_name, zip }) => {
    for (const [userId, profile] of db.table("users")) {
      const name = getItem(profile, "name");
      if (
        lower(getItem(name, "first_name")) === lower(first_name) &&
        lower(getItem(name, "last_name")) === lower(last_name) &&
        pyEq(getItem(getItem(profile, "address"), "zip"), zip)
      ) {
        return userId;
      }
    }
    return "Error: user not found";
  },
};

const getOrderDetails = lookupTool(
  {
    name: "get_order_details",
    description: "Show an order: its status, items (with item ids, options and prices), shipping address, fulfillments and payment history.",
    identifiesCustomer: true,
  },
  "orders",
  ["order_id", ORDER_ID],
  "Error: order not found",
);

const getProductDetails = lookupTool(
  {
    name: "get_product_details",
    description: "Show a product's inventory: every item (variant) of it with its item id, options, price and whether it is available.",
  },
  "products",
  ["product_id", str("The product id, a ten-digit string such as '6086499569'. Not an item id: a product groups many items, each with its own id.")],
  "Error: product not found",
);

const getUserDetails = lookupTool(
  {
    name: "get_user_details",
    description: "Show a user's profile: name, default address, email, payment methods (with gift card balances) and the ids of their orders.",
    identifiesCustomer: true,
  },
  "users",
  ["user_id", USER_ID],
  "Error: user not found",
);

const listAllProductTypes: TauTool = {
  name: "list_all_product_types",
  description:
    "List every product type the store sells (there are 50) by name, with its product id. Each product comes in many items with their own item ids and options; get_product_details shows them.",
  params: [],
  invoke: (db) => {
    const byName = new Map<unknown, unknown>();
    for (const product of db.table("products").values()) byName.set(getItem(product, "name"), getItem(product, "product_id"));
    const pairs = sorted([...byName].map(([k, v]) => [k, v]));
    return pyJsonDumps(new Map(pairs.map((p) => [String((p as unknown[])[0]), (p as unknown[])[1]])));
  },
};

const modifyPendingOrderAddress: TauTool = {
  name: "modify_pending_order_address",
  description:
    `Change the shipping address of an order whose status is 'pending'. ${CONFIRM_FIRST} Returns the updated order.`,
  params: [["order_id", ORDER_ID], ...ADDRESS],
  writes: true,
  invoke: (db, args) => {
    const found = orderInStatus(db, args.order_id, "pending", "modified");
    if ("error" in found) return found.error;
    const order = db.edit("orders", args.order_id as string);
    setItem(order, "address", addressOf(args));
    return pyJsonDumps(order);
  },
};

const modifyPendingOrderItems: TauTool = {
  name: "modify_pending_order_items",
  description:
    "Swap items of an order whose status is 'pending' for other items (a different variant) of the same products. " +
    "This works only once per order: afterwards its status is 'pending (item modified)' and it cannot be changed again, so gather every change before calling. " +
    `${CONFIRM_FIRST} The price difference is charged or refunded right away; a gift card paying it must hold enough balance. Returns the updated order.`,
  params: itemSwapParams("swap"),
  writes: true,
  invoke: (db, args) => {
    const { order_id, item_ids, new_item_ids, payment_method_id } = args;
    const found = orderInStatus(db, order_id, "pending", "modified");
    if ("error" in found) return found.error;
    const swap = checkItemSwap(db, found.order, args, false);
    if ("error" in swap) return swap.error;
    const { diff } = swap;
    const payWithGiftCard = isGiftCard(swap.method);
    if (payWithGiftCard && pyLess(getItem(swap.method, "balance"), diff)) {
      return "Error: insufficient gift card balance to pay for the new item";
    }
    const order = db.edit("orders", order_id as string);
    (getItem(order, "payment_history") as unknown[]).push({
      transaction_type: pyGreater(diff, 0) ? "payment" : "refund",
      amount: pyAbs(diff),
      payment_method_id,
    });
    if (payWithGiftCard) {
      const method = editPaymentMethod(db, getItem(order, "user_id"), payment_method_id);
      setItem(method, "balance", sub(getItem(method, "balance"), diff, "-="));
      setItem(method, "balance", round2(getItem(method, "balance")));
    }
    const products = db.table("products");
    for (const [itemId, newItemId] of zip(item_ids, new_item_ids)) {
      const item = firstItem(order, itemId);
      const variant = getItem(getItem(getItem(products, getItem(item, "product_id")), "variants"), newItemId);
      setItem(item, "item_id", newItemId);
      setItem(item, "price", getItem(variant, "price"));
      setItem(item, "options", getItem(variant, "options"));
    }
    setItem(order, "status", "pending (item modified)");
    return pyJsonDumps(order);
  },
};

const modifyPendingOrderPayment: TauTool = {
  name: "modify_pending_order_payment",
  description:
    "Pay for an order whose status is 'pending' with another of the user's payment methods: the new method is charged the full amount and the original payment is refunded. " +
    `Only possible while the order has a single payment; a gift card must cover the whole amount. ${CONFIRM_FIRST} Returns the updated order.`,
  params: [
    ["order_id", ORDER_ID],
    [
      "payment_method_id",
      str(
        "The id of the user's payment method to pay with instead, e.g. 'credit_card_0000000', 'paypal_0000000' or 'gift_card_0000000'; it must differ from the one that paid. The user's details list these ids.",
      ),
    ],
  ],
  writes: true,
  invoke: (db, { order_id, payment_method_id }) => {
    const found = orderInStatus(db, order_id, "pending", "modified");
    if ("error" in found) return found.error;
    const current = found.order;
    const methods = userPaymentMethods(db, current);
    if (!contains(methods, payment_method_id)) return "Error: payment method not found";
    const history = getItem(current, "payment_history");
    if (pyGreater(len(history), 1) || !pyEq(getItem(getItem(history, 0), "transaction_type"), "payment")) {
      return "Error: there should be exactly one payment for a pending order";
    }
    const oldMethodId = getItem(getItem(history, 0), "payment_method_id");
    if (pyEq(oldMethodId, payment_method_id)) return "Error: the new payment method should be different from the current one";
    const amount = getItem(getItem(history, 0), "amount");
    const method = getItem(methods, payment_method_id);
    const payWithGiftCard = isGiftCard(method);
    if (payWithGiftCard && pyLess(getItem(method, "balance"), amount)) return "Error: insufficient gift card balance to pay for the order";
    const order = db.edit("orders", order_id as string);
    (getItem(order, "payment_history") as unknown[]).push(
      { transaction_type: "payment", amount, payment_method_id },
      { transaction_type: "refund", amount, payment_method_id: oldMethodId },
    );
    const userId = getItem(order, "user_id");
    if (payWithGiftCard) {
      const m = editPaymentMethod(db, userId, payment_method_id);
      setItem(m, "balance", round2(sub(getItem(m, "balance"), amount, "-=")));
    }
    if (contains(oldMethodId, "gift_card")) {
      const m = editPaymentMethod(db, userId, oldMethodId);
      setItem(m, "balance", round2(add(getItem(m, "balance"), amount, "+=")));
    }
    return pyJsonDumps(order);
  },
};

const modifyUserAddress: TauTool = {
  name: "modify_user_address",
  description:
    `Change a user's default address (the one in their profile; existing orders keep their shipping address). ${CONFIRM_FIRST} Returns the updated user.`,
  params: [["user_id", USER_ID], ...ADDRESS],
  writes: true,
  invoke: (db, args) => {
    if (!contains(db.table("users"), args.user_id)) return "Error: user not found";
    const user = db.edit("users", args.user_id as string);
    setItem(user, "address", addressOf(args));
    return pyJsonDumps(user);
  },
};

const returnDeliveredOrderItems: TauTool = {
  name: "return_delivered_order_items",
  description:
    "Request the return of items from a delivered order; its status becomes 'return requested' and the user gets an email explaining how and where to send the items. " +
    `A delivered order can be returned or exchanged only once, so gather every item to return before calling. ${CONFIRM_FIRST} Returns the updated order.`,
  params: [
    ["order_id", ORDER_ID],
    ["item_ids", strList(`The ids of the order's items to return, ${ITEM_ID_FORMAT}; repeat an id to cover several units of the same item.`)],
    [
      "payment_method_id",
      str(
        "The id of the payment method that receives the refund: the one that paid for the order, or one of the user's gift cards (e.g. 'gift_card_0000000').",
      ),
    ],
  ],
  writes: true,
  invoke: (db, { order_id, item_ids, payment_method_id }) => {
    const found = orderInStatus(db, order_id, "delivered", "returned");
    if ("error" in found) return found.error;
    const current = found.order;
    if (!contains(userPaymentMethods(db, current), payment_method_id)) return "Error: payment method not found";
    const original = getItem(getItem(getItem(current, "payment_history"), 0), "payment_method_id");
    if (!contains(payment_method_id, "gift_card") && !pyEq(payment_method_id, original)) {
      return "Error: payment method should be either the original payment method or a gift card";
    }
    if (missingItem(item_ids, itemIds(current))) return "Error: some item not found";
    const order = db.edit("orders", order_id as string);
    setItem(order, "status", "return requested");
    setItem(order, "return_items", sorted(item_ids));
    setItem(order, "return_payment_method_id", payment_method_id);
    return pyJsonDumps(order);
  },
};

/** The retail tools in tau-bench's order (the order of the `[search] tools` listing). */
export const RETAIL_TOOLS: readonly TauTool[] = [
  calculateTool,
  cancelPendingOrder,
  exchangeDeliveredOrderItems,
  findUserIdByEmail,
  findUserIdByNameZip,
  getOrderDetails,
  getProductDetails,
  getUserDetails,
  listAllProductTypes,
  modifyPendingOrderAddress,
  modifyPendingOrderItems,
  modifyPendingOrderPayment,
  modifyUserAddress,
  returnDeliveredOrderItems,
  thinkTool,
  transferTool,
];
