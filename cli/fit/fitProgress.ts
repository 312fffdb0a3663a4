// Progress of a long fit: on a terminal one bar redrawn in place (step, loss, ETA); elsewhere
// (CI logs, pipes) a plain line every tenth of the run, so logs stay short and greppable. Before
// and after the loop, `status` says what a slow phase is doing (on a terminal in one line that
// the next status, the bar or the last message replaces).

export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** 75 -> '1m15s' (rounded to the second first, so 179.6 is '3m00s', never '2m60s'). */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  const whole = Math.round(s);
  if (whole < 60) return `${whole}s`;
  const m = Math.floor(whole / 60);
  return m < 60 ? `${m}m${String(whole - 60 * m).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class FitProgress {
  private readonly t0 = performance.now();
  private lastDraw = -Infinity;
  private nextLine = 0;
  /** On a terminal: what the cursor's line holds (the bar is kept, a status is replaced), or null for a fresh line. */
  private open: 'bar' | 'status' | null = null;

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
      this.open = 'bar';
    } else if (done >= this.nextLine || done === this.total) {
      this.nextLine = done + Math.max(1, Math.round(this.total / 10));
      this.sink.write(`${text}\n`);
    }
  }

  /** What a phase outside the loop is doing ('writing out/fit/end.png...'). */
  status(text: string): void {
    if (this.sink.isTTY) {
      this.sink.write(`\r${text}\x1b[K`);
      this.open = 'status';
    } else this.sink.write(`${text}\n`);
  }

  /** A line to keep (what runs, a warning): on a terminal it replaces a status line and goes below the bar. */
  line(text: string): void {
    this.endLoop();
    this.sink.write(`${text}\n`);
  }

  /** After the last step: on a terminal the bar's line is kept, and statuses go below it. */
  endLoop(): void {
    if (this.sink.isTTY && this.open === 'bar') this.sink.write('\n');
    else if (this.sink.isTTY && this.open === 'status') this.sink.write('\r\x1b[K');
    this.open = null;
  }

  /** Prints `message` on its own line (replacing a status line on a terminal). */
  finish(message: string): void {
    this.line(message);
  }
}
