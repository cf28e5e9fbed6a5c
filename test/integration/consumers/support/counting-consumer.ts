import type { Consumer, ConsumerFilter } from "../../../../src/consumers/types";
import type { GatewayEvent } from "../../../../src/contract/event";

export interface CountingConsumer {
  consumer: Consumer;
  /** Event ids, one entry per time the side effect happened. */
  effects: string[];
  times(id: string): number;
}

/**
 * A consumer whose side effect is appending the event id to `effects`, so a test can count
 * exactly how many times it happened. `fail` makes chosen events throw (a poison event or a bug);
 * `delayMs` keeps an execution in progress long enough to overlap with another.
 */
export function countingConsumer(
  options: {
    name?: string;
    filter?: ConsumerFilter;
    fail?: (event: GatewayEvent) => boolean;
    delayMs?: number;
  } = {},
): CountingConsumer {
  const effects: string[] = [];
  return {
    effects,
    times: (id) => effects.filter((effect) => effect === id).length,
    consumer: {
      name: options.name ?? "effects",
      filter: options.filter ?? {},
      handler: async (event) => {
        if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        if (options.fail?.(event)) throw new Error(`handler refused ${event.id}`);
        effects.push(event.id);
      },
    },
  };
}
