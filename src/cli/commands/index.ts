/** Every CLI command; each module registers one command (or group) on the program. */
import type { Command } from "commander";
import * as audit from "./audit.js";
import * as compare from "./compare.js";
import * as credit from "./credit.js";
import * as creditLab from "./credit-lab.js";
import * as data from "./data.js";
import * as fidelity from "./fidelity.js";
import * as evalCmd from "./eval.js";
import * as exportCmd from "./export.js";
import * as exportRl from "./export-rl.js";
import * as fakeServer from "./fake-server.js";
import * as gyms from "./gyms.js";
import * as play from "./play.js";
import * as regrade from "./regrade.js";
import * as replay from "./replay.js";
import * as report from "./report.js";
import * as run from "./run.js";
import * as serve from "./serve.js";
import * as sft from "./sft.js";
import * as train from "./train.js";
import * as ui from "./ui.js";

export const COMMANDS: { register(program: Command): void }[] = [gyms, data, run, evalCmd, report, compare, regrade, replay, play, exportCmd, credit, creditLab, exportRl, sft, train, fakeServer, serve, ui, audit, fidelity];
