import cliProgress from 'cli-progress';

export interface Progress {
  phase(name: string, total: number): void;
  update(done: number): void;
  stop(): void;
}

const SILENT: Progress = { phase() {}, update() {}, stop() {} };

/** A bar on stderr, only when stderr is a terminal, so piped output stays clean. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return SILENT;
  const bar = new cliProgress.SingleBar(
    { stream, format: '{phase} [{bar}] {percentage}% {value}/{total}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    phase(name, total) {
      if (!started) bar.start(Math.max(1, total), 0, { phase: name });
      else {
        bar.setTotal(Math.max(1, total));
        bar.update(0, { phase: name });
      }
      started = true;
    },
    update(done) {
      if (started) bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
