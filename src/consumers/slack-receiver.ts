import type { App, Receiver } from "@slack/bolt";
import type { GatewayEvent } from "../contract/event";
import { InvalidEventError } from "./errors";

/**
 * A Bolt receiver fed from the queue instead of HTTP. The edge already verified the request and
 * answered Slack within its 3 seconds, so `ack` does nothing; the body Bolt sees is what Slack
 * sent: the Events API envelope, the slash command's form fields, or the interaction's payload.
 *
 * @example
 * const receiver = new QueueReceiver();
 * const app = new App({ receiver, authorize });
 * await receiver.dispatch(event); // runs app.event / app.command / app.action / app.view listeners
 */
export class QueueReceiver implements Receiver {
  private app: App | undefined;

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** Runs the listeners for one queued Slack event; rejects when one of them fails. */
  async dispatch(event: GatewayEvent): Promise<void> {
    if (!this.app) throw new Error("QueueReceiver.dispatch called before the App was created");
    const body = event.data;
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new InvalidEventError("missing_data");
    }
    await this.app.processEvent({
      body: body as Record<string, unknown>,
      ack: async () => undefined,
      retryNum: typeof event.retrynum === "number" ? event.retrynum : undefined,
      retryReason: typeof event.retryreason === "string" ? event.retryreason : undefined,
    });
  }
}
