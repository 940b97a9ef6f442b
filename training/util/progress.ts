/** A one-line progress bar with rate and ETA, on stderr (stdout stays clean for results). */

export interface Progress {
  tick(done: number, extra?: string): void;
  end(summary?: string): void;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}:${String(r).padStart(2, '0')}`;
}

export function createProgress(label: string, total: number, unit = 'img', stream: NodeJS.WriteStream = process.stderr): Progress {
  const start = performance.now();
  const width = 24;
  const interactive = Boolean(stream.isTTY);
  let lastPrint = 0;
  const line = (done: number, extra: string): string => {
    const elapsed = (performance.now() - start) / 1000;
    const rate = done / Math.max(elapsed, 1e-9);
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(frac * width);
    const eta = rate > 0 ? (total - done) / rate : Infinity;
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(1)} ${unit}/s ETA ${formatDuration(eta)} ${extra}`;
  };
  return {
    tick(done, extra = '') {
      const now = performance.now();
      // Non-TTY output (logs, CI) gets a line every 10 s instead of carriage-return redraws.
      if (interactive) {
        if (now - lastPrint > 100 || done >= total) stream.write(`\r${line(done, extra)}\x1b[K`);
      } else if (now - lastPrint > 10_000) stream.write(`${line(done, extra)}\n`);
      else return;
      lastPrint = now;
    },
    end(summary = '') {
      const elapsed = (performance.now() - start) / 1000;
      stream.write(`${interactive ? '\r' : ''}${label} done in ${formatDuration(elapsed)} ${summary}${interactive ? '\x1b[K' : ''}\n`);
    },
  };
}
