/** The gym kit's human hook, until the kit lands: the user's seat is refused with a clear message. */
import type { GymDefinition, UserRoles } from "../core/types.js";

export interface HumanRequestLike {
  gym: string;
  taskId: string;
  role: string;
  turn: number;
  brief: string;
  prompt: string;
  choices?: string[];
}

export function humanUserRoles(
  gym: GymDefinition<unknown>,
  _userSpec: string,
  _seat: { ask(req: HumanRequestLike, signal?: AbortSignal): Promise<string> },
  _judge?: string,
): UserRoles {
  throw new Error(`a person cannot take the user's seat of ${gym.name} yet (needs the gym kit's human hook)`);
}
