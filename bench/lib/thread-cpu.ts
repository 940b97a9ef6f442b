/**
 * CPU time of every thread of the system Chromium, from Linux's /proc: what a start-up costs each thread (the page,
 * its workers, V8's compiler threads, the GPU and browser processes), not just how long it took.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** /proc's clock ticks per second (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface TaskTime {
  /** The thread's name (comm), with any trailing number dropped: "ThreadPoolForeg", "DedicatedWorker thread". */
  readonly thread: string;
  /** user + system CPU time, ms. */
  readonly cpuMs: number;
}

/** One /proc/<pid>/task/<tid>/stat line; undefined when it is not one. */
export function parseTaskStat(line: string): TaskTime | undefined {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = line
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // After the name: state is field 3 of the line, utime 14 and stime 15 (proc(5)), so 11 and 12 here.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return { thread: line.slice(open + 1, close).replace(/\d+$/, ''), cpuMs: ((utime + stime) * 1000) / TICKS_PER_SECOND };
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function readdirOr(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * CPU ms so far of every thread of every process whose program is named `program` ("chromium": Debian's
 * /usr/bin/chromium starts /usr/lib/chromium/chromium), keyed "pid/tid process:thread".
 */
export function threadTimes(program: string): Map<string, number> {
  const times = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    const command = readOr(`/proc/${pid}/cmdline`);
    // Zygote children rewrite their command line as one string: the program is its first word.
    if (command.split(/[\0 ]/)[0]?.split('/').pop() !== program) continue;
    const kind = /--type=([a-z-]+)/.exec(command)?.[1] ?? 'browser';
    for (const tid of readdirOr(`/proc/${pid}/task`)) {
      const task = parseTaskStat(readOr(`/proc/${pid}/task/${tid}/stat`));
      if (task) times.set(`${pid}/${tid} ${kind}:${task.thread}`, task.cpuMs);
    }
  }
  return times;
}

/** The CPU each thread kind ("renderer:DedicatedWorker thread") used between two snapshots, ms, largest first. */
export function cpuBetween(before: Map<string, number>, after: Map<string, number>): [string, number][] {
  const used = new Map<string, number>();
  for (const [key, ms] of after) {
    const kind = key.slice(key.indexOf(' ') + 1);
    used.set(kind, (used.get(kind) ?? 0) + ms - (before.get(key) ?? 0));
  }
  return [...used].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]);
}
