/**
 * What a `step` does with its data, for every transport that steps a session (`/ws`, stateless
 * `/step`): play a turn, or answer OpenEnv's MCP-style `list_tools` / `call_tool` actions.
 */
import type { GymCatalog } from "./catalog.js";
import { parseStepData } from "./protocol.js";
import type { GymSession, ObservationReply } from "./session.js";
import { callTool, findTool, mcpResult, toolList } from "./tools.js";

export async function stepSession(session: GymSession, catalog: GymCatalog, data: unknown): Promise<ObservationReply> {
  const step = parseStepData(data);
  return session.run(async (): Promise<ObservationReply> => {
    switch (step.kind) {
      case "list_tools":
        return { observation: { tools: toolList() }, reward: null, done: false };
      case "call_tool": {
        if (!findTool(step.name)) {
          const message = `unknown tool "${step.name.slice(0, 80)}"`;
          return { observation: { tool_name: step.name, result: null, error: { error_type: "tool_not_found", message } }, reward: null, done: false };
        }
        const r = await callTool(session, catalog, step.name, step.arguments);
        return {
          observation: {
            tool_name: step.name,
            result: r.invalidArgs ? null : mcpResult(r),
            error: r.invalidArgs ? { error_type: "invalid_args", message: r.text } : null,
          },
          reward: r.reward ?? null,
          done: r.done ?? false,
        };
      }
      default:
        return session.play(step);
    }
  });
}
