/** The chat-model contract lives in `core/` (the ground floor); models/ re-exports it for its own imports. */
export * from "../core/chat.js";
