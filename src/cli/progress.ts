import cliProgress from 'cli-progress';
import type { CliIo } from './io.js';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * Progress of a long command on stderr (so stdout stays parseable): a bar on a terminal, a plain
 * "label: N/M" line every 10% otherwise (CI logs, pipes, a command relayed through the server).
 */
export function progressReporter(label: string, io: CliIo): Progress {
  if (io.tty) {
    const bar = new cliProgress.SingleBar(
      { stream: io.tty, format: `${label} [{bar}] {percentage}% | {value}/{total}`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let nextTenth = 1;
  return {
    update(done, total) {
      if (total === 0) return;
      if (done === total || done * 10 >= nextTenth * total) {
        io.err(`${label}: ${done}/${total}`);
        nextTenth = Math.floor((done * 10) / total) + 1;
      }
    },
    stop: () => {},
  };
}
