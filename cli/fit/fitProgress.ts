// Progress of a long fit: on a terminal one bar redrawn in place (step, loss, ETA); elsewhere
// (CI logs, pipes) a plain line every tenth of the run, so logs stay short and greppable.

export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** 75 -> '1m15s'. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class FitProgress {
  private readonly t0 = performance.now();
  private lastDraw = -Infinity;
  private nextLine = 0;

  /** `total` steps; `seconds` a wall budget that may end the run sooner (null: none). */
  constructor(
    private readonly sink: ProgressSink,
    private readonly total: number,
    private readonly seconds: number | null = null,
  ) {}

  /** Seconds left: by the step rate, capped by the wall budget. */
  eta(done: number): number {
    const elapsed = (performance.now() - this.t0) / 1000;
    const byRate = done > 0 ? (elapsed / done) * (this.total - done) : NaN;
    return this.seconds === null ? byRate : Math.min(Number.isNaN(byRate) ? Infinity : byRate, Math.max(0, this.seconds - elapsed));
  }

  /** After step `done` (1-based count of finished steps) with its loss. */
  update(done: number, loss: number): void {
    const fraction = Math.min(1, done / this.total);
    const text = `step ${done}/${this.total}  loss ${loss.toFixed(4)}  ETA ${formatSeconds(this.eta(done))}`;
    if (this.sink.isTTY) {
      const now = performance.now();
      if (now - this.lastDraw < 100 && done < this.total) return; // ten redraws a second are enough
      this.lastDraw = now;
      const width = Math.max(10, Math.min(40, (this.sink.columns ?? 80) - text.length - 10));
      const filled = Math.round(width * fraction);
      this.sink.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(100 * fraction).toFixed(0).padStart(3)}%  ${text}\x1b[K`);
    } else if (done >= this.nextLine || done === this.total) {
      this.nextLine = done + Math.max(1, Math.round(this.total / 10));
      this.sink.write(`${text}\n`);
    }
  }

  /** Ends the bar's line on a terminal, then prints `message` on its own line. */
  finish(message: string): void {
    if (this.sink.isTTY) this.sink.write('\n');
    this.sink.write(`${message}\n`);
  }
}
