/** The environment server: OpenEnv protocol, MCP and the credit service over the gyms. */
export { startServer, runStdioServer, type RunningServer } from "./app.js";
export { DEFAULT_SERVER_OPTIONS, resolveServerOptions, type ServerOptions } from "./options.js";
export { EnvClient, EnvServerError, playRemoteEpisode, type EnvClientOptions, type RemoteEpisode } from "./client.js";
export { ERROR_CODES, type ErrorCode, type ResetData } from "./protocol.js";
export type { ObservationReply } from "./session.js";
export { resetObservationSchema, stepObservationSchema, stateSchema } from "./describe.js";
