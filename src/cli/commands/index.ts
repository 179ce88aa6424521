/** Every CLI command; each module registers one command (or group) on the program. */
import type { Command } from "commander";
import * as data from "./data.js";
import * as exportCmd from "./export.js";
import * as fakeServer from "./fake-server.js";
import * as gyms from "./gyms.js";
import * as play from "./play.js";
import * as replay from "./replay.js";
import * as run from "./run.js";

export const COMMANDS: { register(program: Command): void }[] = [gyms, data, run, replay, play, exportCmd, fakeServer];
