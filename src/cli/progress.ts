/**
 * A one-line progress bar on a terminal; silent when the stream is not a TTY (CI, pipes). Without
 * a total it shows a running count (`1234 sent`).
 *
 * @example
 * const bar = progressBar(process.stderr); bar.update(3, 10); bar.done();
 */
export function progressBar(stream: NodeJS.WriteStream): {
  update(done: number, total?: number): void;
  done(): void;
} {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let last = 0;
  let count: number | undefined;
  return {
    update(done, total) {
      count = total === undefined ? done : undefined;
      const now = Date.now();
      if ((total === undefined || done < total) && now - last < 50) return;
      last = now;
      if (total === undefined) {
        stream.write(`\r${done} sent`);
        return;
      }
      const width = 30;
      const filled = Math.round((done / total) * width);
      stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`);
    },
    done() {
      // A running count may have been throttled: draw its final value.
      stream.write(count === undefined ? "\n" : `\r${count} sent\n`);
    },
  };
}
