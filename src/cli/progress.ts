/**
 * A one-line progress bar on a terminal; silent when the stream is not a TTY (CI, pipes).
 *
 * @example
 * const bar = progressBar(process.stderr); bar.update(3, 10); bar.done();
 */
export function progressBar(stream: NodeJS.WriteStream): {
  update(done: number, total: number): void;
  done(): void;
} {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (done < total && now - last < 50) return;
      last = now;
      const width = 30;
      const filled = Math.round((done / total) * width);
      stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`);
    },
    done() {
      stream.write("\n");
    },
  };
}
