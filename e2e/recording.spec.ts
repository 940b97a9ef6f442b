/**
 * The researcher recording tools end to end, as a user drives them, with the fake camera playing the CK+
 * clip and the shipped models:
 *
 * - a live session with a baseline and markers (the M key and the button, one labelled) survives a reload in
 *   the middle of the recording: it is listed with its frames (at most about the last second lost against
 *   what the page had counted) and its markers;
 * - its CSV export (read with e2e/research-csv.ts, written from the README's "Recording format") has the
 *   documented columns, one row per frame, strictly increasing times, the markers and the baseline, and
 *   relative readings equal to reading - baseline mean;
 * - the review view draws the timeline with its markers, one summary row per marker segment whose numbers
 *   agree with the CSV, and the circumplex trail of the selected segment;
 * - JSON and CSV exports import back to the same session (re-exported byte for byte), stored and listed like
 *   a recorded one (same id: replaced, not duplicated); damaged or foreign files are refused with a message naming the file and change nothing; deleting a session removes it
 *   for good (also after a reload);
 * - no uncaught page errors throughout.
 */
import { PNG } from 'pngjs';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { collectPageErrors, expect, HAS_SHARED, SHARED_MISSING, test } from './fixtures.ts';
import { PROGRESS_TIMEOUT, waitForCamera, waitForReadings, waitUntil } from './progress.ts';
import { readExportedCsv } from './research-csv.ts';
import type { ExportedCsv } from './research-csv.ts';

/** The documented CSV columns before the per-class probabilities (README "Recording format"). */
const FIXED_COLUMNS = [
  'frame',
  't_ms',
  'valence',
  'arousal',
  'valence_rel',
  'arousal_rel',
  'cnn_valence',
  'cnn_arousal',
  'face_x',
  'face_y',
  'face_w',
  'face_h',
  'faces',
  'reliable',
  'quality',
  'backend',
  'segment',
  'profile',
];
const QUALITY = /^((dark|bright|small|uncertain)(\|(dark|bright|small|uncertain))*)?$/;
const MEAN_SD = /^([+-]\d+\.\d\d) ± (\d+\.\d\d)$/;

interface StoredSummary {
  readonly id: string;
  readonly status: string;
  readonly frameCount: number;
  readonly durationMs: number;
  readonly markers: readonly { readonly t: number; readonly label: string }[];
}

/** The sessions as stored in the app's IndexedDB (read in the page, on a second connection). */
async function storedSessions(page: Page): Promise<StoredSummary[]> {
  return page.evaluate(
    () =>
      new Promise<StoredSummary[]>((resolve, reject) => {
        const open = indexedDB.open('circumplex-recordings');
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('sessions')) {
            db.close();
            resolve([]);
            return;
          }
          const get = db.transaction('sessions', 'readonly').objectStore('sessions').getAll();
          get.onerror = () => reject(get.error ?? new Error('getAll failed'));
          get.onsuccess = () => {
            db.close();
            const all = get.result as {
              meta: { id: string; markers: { t: number; label: string }[] };
              status: string;
              frameCount: number;
              durationMs: number;
            }[];
            resolve(
              all.map((s) => ({
                id: s.meta.id,
                status: s.status,
                frameCount: s.frameCount,
                durationMs: s.durationMs,
                markers: s.meta.markers,
              })),
            );
          };
        };
      }),
  );
}

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

async function waitReady(page: Page): Promise<void> {
  await waitForCamera(page);
  await expect(page.getByRole('button', { name: 'Record', exact: true })).toBeEnabled({ timeout: PROGRESS_TIMEOUT });
}

/** Each test loads the models at least twice and records dozens of frames: minutes on a loaded 2-core machine. */
const RECORDING_TEST_TIMEOUT = 600_000;

/** Frames the running recording has taken so far, as the recorder status shows them. */
async function recordedFrames(page: Page): Promise<number> {
  return Number(await page.getByTestId('recorder').getAttribute('data-frames'));
}

async function waitForMoreFrames(page: Page, n: number): Promise<number> {
  const target = (await recordedFrames(page)) + n;
  await waitUntil(page, `${n} more recorded frames (up to ${target})`, async () => (await recordedFrames(page)) >= target);
  return recordedFrames(page);
}

const isBlank = (s: string | undefined): boolean => s === undefined || s === '';
const mean = (xs: readonly number[]): number => xs.reduce((a, v) => a + v, 0) / xs.length;

function checkCsvShape(csv: ExportedCsv): void {
  expect(csv.preamble).toBe('# circumplex-recording schemaVersion=1');
  expect(csv.meta.format).toBe('circumplex-recording');
  expect(csv.meta.schemaVersion).toBe(1);
  expect(csv.meta.labels.length).toBeGreaterThanOrEqual(2);
  expect(csv.header).toEqual([...FIXED_COLUMNS, ...csv.meta.labels.map((l) => `p_${l}`)]);
  let previous = -Infinity;
  csv.rows.forEach((r, i) => {
    expect(r.frame).toBe(String(i));
    const t = Number(r.t_ms);
    expect(Number.isFinite(t) && t >= 0).toBe(true);
    expect(t).toBeGreaterThan(previous);
    previous = t;
    expect(['0', '1']).toContain(r.reliable);
    expect(r.quality).toMatch(QUALITY);
    expect(Number.isInteger(Number(r.faces)) && Number(r.faces) >= 0).toBe(true);
    const probs = csv.meta.labels.map((l) => r[`p_${l}`]!);
    const box = [r.face_x, r.face_y, r.face_w, r.face_h];
    if (probs.every((p) => p !== '')) {
      // An analysed face: probabilities, its box, the CNN's own reading and the backend that ran it.
      expect(Math.abs(probs.reduce((a, p) => a + Number(p), 0) - 1)).toBeLessThan(1e-3);
      expect(box.every((b) => !isBlank(b) && Number.isFinite(Number(b)))).toBe(true);
      expect(Number.isFinite(Number(r.cnn_valence)) && !isBlank(r.cnn_valence)).toBe(true);
      expect(Number.isFinite(Number(r.cnn_arousal)) && !isBlank(r.cnn_arousal)).toBe(true);
      expect(r.backend).toBe('wasm');
    } else {
      expect(probs.every((p) => p === '')).toBe(true);
      expect(r.reliable).toBe('0');
    }
    if (r.reliable === '1') expect(r.quality).toBe('');
    // No personal calibration in these sessions: the shipped model shaped every reading.
    expect(r.profile).toBe('');
  });
  // The CK+ clip shows a face almost all the time.
  const analysed = csv.rows.filter((r) => !isBlank(r.face_x) && !isBlank(r[`p_${csv.meta.labels[0]}`])).length;
  expect(analysed).toBeGreaterThanOrEqual(csv.rows.length / 2);
  expect(csv.rows.filter((r) => !isBlank(r.valence) && !isBlank(r.arousal)).length).toBeGreaterThanOrEqual(csv.rows.length / 2);
}

test.describe('researcher recording', () => {
  test.skip(!HAS_SHARED, SHARED_MISSING);

  test('a live session with a baseline and markers survives a reload mid-recording; its CSV and review view agree', async ({ page }) => {
    test.setTimeout(RECORDING_TEST_TIMEOUT);
    const errors = collectPageErrors(page);
    await page.goto('/?backend=wasm');
    await waitReady(page);
    await waitForReadings(page, 5);

    // Baseline: 2 s of "resting face"; the panel then shows the baseline and the reading raw and relative to it.
    await page.getByLabel('Baseline seconds').fill('2');
    await page.getByRole('button', { name: 'Calibrate baseline' }).click();
    const table = page.getByTestId('baseline');
    await expect(table).toBeVisible({ timeout: PROGRESS_TIMEOUT });
    await expect(page.getByTestId('baseline-valence')).toHaveText(/^[+-]\d\.\d\d ± \d\.\d\d$/);
    const shown = await table.evaluate((el) =>
      Array.from(el.querySelectorAll('tbody tr'), (tr) => Array.from(tr.children, (c) => c.textContent ?? '')),
    );
    expect(shown.map((r) => r[0])).toEqual(['baseline', 'now, raw', 'now, relative']);
    const baseMean = Number(/^([+-]\d\.\d\d)/.exec(shown[0]![1]!)![1]);
    if (shown[1]![1] !== '–') expect(Math.abs(Number(shown[2]![1]) - (Number(shown[1]![1]) - baseMean))).toBeLessThanOrEqual(0.0151);

    // Record; markers with the M key, with the button and a label, and with the key again.
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    const recorder = page.getByTestId('recorder');
    await expect(recorder).toHaveAttribute('data-status', 'recording');
    const id = (await recorder.getAttribute('data-id'))!;
    expect(id).not.toBe('');
    await waitForMoreFrames(page, 10);
    await page.keyboard.press('m');
    await expect(recorder).toHaveAttribute('data-markers', '1');
    await waitForMoreFrames(page, 10);
    await page.getByLabel('Marker label').fill('stimulus A');
    await page.getByRole('button', { name: 'Add marker (M)' }).click();
    await expect(recorder).toHaveAttribute('data-markers', '2');
    await expect(page.getByLabel('Marker label')).toHaveValue('');
    await waitForMoreFrames(page, 10);
    await page.keyboard.press('M');
    await expect(recorder).toHaveAttribute('data-markers', '3');
    await waitForMoreFrames(page, 20);
    await expect(page.getByTestId('session')).toHaveCount(1);
    await expect(page.getByTestId('session')).toContainText('recording');

    // Reload in the middle of the recording.
    const persisted = (await storedSessions(page)).find((s) => s.id === id)!;
    const counted = await recordedFrames(page);
    await page.reload();
    await expect(page.getByTestId('session')).toHaveCount(1, { timeout: PROGRESS_TIMEOUT });
    const item = page.getByTestId('session');
    await expect(item).toHaveAttribute('data-id', id);
    await expect(item).toHaveAttribute('data-status', 'interrupted');
    await expect(item).toContainText('3 markers');
    await expect(item).toContainText('interrupted');
    const [after] = await storedSessions(page);
    const frames = after!.frameCount;
    await expect(item).toHaveAttribute('data-frames', String(frames));
    expect(frames).toBeGreaterThanOrEqual(persisted.frameCount);
    expect(after!.markers.map((m) => m.label)).toEqual(['M1', 'stimulus A', 'M3']);
    expect(after!.markers.map((m) => m.t)).toEqual(persisted.markers.map((m) => m.t));

    // Review: the timeline with its markers, exported to CSV.
    await item.getByRole('button', { name: /^Open / }).click();
    const review = page.getByTestId('review');
    await expect(review).toHaveAttribute('data-id', id);
    await expect(review).toHaveAttribute('data-frames', String(frames));
    await expect(review).toContainText(`${frames} frames, 3 markers`);
    await expect(review).toContainText(/Baseline: valence [+-]\d\.\d\d ± \d\.\d\d, arousal [+-]\d\.\d\d ± \d\.\d\d \(\d+ frames\)/);
    const timeline = page.getByTestId('review-timeline');
    await expect(timeline).toHaveAttribute('data-markers', '3');
    await expect(timeline.locator('.marker-line')).toHaveCount(3);
    for (const label of ['M1', 'stimulus A', 'M3']) await expect(timeline).toContainText(label);
    await expect(timeline.locator('path.line-curve').first()).toBeVisible();

    const exported = await download(page, 'Export CSV');
    expect(exported.name).toMatch(/\.csv$/);
    const csv = readExportedCsv(exported.text);
    checkCsvShape(csv);
    expect(csv.meta.id).toBe(id);
    expect(csv.rows).toHaveLength(frames);
    expect(csv.meta.markers).toEqual(after!.markers);
    for (const m of csv.meta.markers) expect(m.t).toBeLessThanOrEqual(Number(csv.rows.at(-1)!.t_ms) + 1000);

    // At most about the last second was lost: no more frames than the session ever took in one second.
    const times = csv.rows.map((r) => Number(r.t_ms));
    let perSecond = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[j]! <= times[i]! - 1000) j++;
      perSecond = Math.max(perSecond, i - j + 1);
    }
    console.log(
      `reload mid-recording: ${persisted.frameCount} frames stored before, ${counted} counted by the page, ${frames} stored after (at most ${perSecond} frames a second)`,
    );
    expect(counted - frames).toBeLessThanOrEqual(perSecond);

    // The baseline is in the metadata, and the relative columns are reading - baseline mean.
    const baseline = csv.meta.baseline!;
    expect(baseline).not.toBeNull();
    expect(Math.abs(baseline.valence.mean - baseMean)).toBeLessThanOrEqual(0.0051);
    let relatives = 0;
    for (const r of csv.rows) {
      for (const axis of ['valence', 'arousal'] as const) {
        const rel = r[`${axis}_rel`];
        if (isBlank(r[axis])) expect(rel).toBe('');
        else {
          expect(Math.abs(Number(rel) - (Number(r[axis]) - baseline[axis].mean))).toBeLessThanOrEqual(1e-6);
          relatives++;
        }
      }
    }
    expect(relatives).toBeGreaterThan(frames / 2);

    // The segment column follows the markers: "" before the first, then each marker's label from its time on.
    const labelAt = (t: number): string => csv.meta.markers.filter((m) => m.t <= t).at(-1)?.label ?? '';
    for (const r of csv.rows) expect(r.segment).toBe(labelAt(Number(r.t_ms)));

    // Per-marker segments: one row per marker (and one for the stretch before the first), numbers as the CSV has them.
    const expected = [
      ...(csv.rows.some((r) => r.segment === '') ? [{ label: 'start', segment: '' }] : []),
      ...csv.meta.markers.map((m) => ({ label: m.label, segment: m.label })),
    ];
    const rows = page.getByTestId('segment-row');
    await expect(rows).toHaveCount(expected.length);
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
    expected.forEach(({ label, segment }, i) => {
      const [, name, from, to, count, valence, arousal, relative, top] = cells[i]!;
      expect(name).toBe(label);
      expect(from).toMatch(/^\d+\.\d s$/);
      expect(to).toMatch(/^\d+\.\d s$/);
      const inSegment = csv.rows.filter((r) => r.segment === segment);
      expect(Number(count)).toBe(inSegment.length);
      expect(inSegment.length).toBeGreaterThan(0);
      const read = inSegment.filter((r) => !isBlank(r.valence) && !isBlank(r.arousal));
      expect(read.length).toBeGreaterThan(0);
      expect(valence).toMatch(MEAN_SD);
      expect(arousal).toMatch(MEAN_SD);
      expect(Math.abs(Number(MEAN_SD.exec(valence!)![1]) - mean(read.map((r) => Number(r.valence))))).toBeLessThanOrEqual(0.0051);
      expect(Math.abs(Number(MEAN_SD.exec(arousal!)![1]) - mean(read.map((r) => Number(r.arousal))))).toBeLessThanOrEqual(0.0051);
      expect(relative).toMatch(/^[+-]\d+\.\d\d, [+-]\d+\.\d\d$/);
      expect(csv.meta.labels).toContain(top);
    });

    // Selecting a segment shows its circumplex trail: every reading in it (up to 400 drawn).
    await page.getByRole('radio', { name: 'Show segment stimulus A' }).check();
    const trail = page.getByTestId('segment-trail');
    await expect(trail).toHaveAttribute('aria-label', /segment "stimulus A"/);
    const readingsA = csv.rows.filter((r) => r.segment === 'stimulus A' && !isBlank(r.valence) && !isBlank(r.arousal)).length;
    await expect(trail).toHaveAttribute('data-points', String(Math.min(400, readingsA)));
    await expect(trail.locator('circle.trail-dot')).toHaveCount(Math.min(400, readingsA));
    await expect(trail.locator('figcaption')).toHaveText(/^stimulus A: valence [+-]\d\.\d\d ± \d\.\d\d, arousal [+-]\d\.\d\d ± \d\.\d\d$/);
    await page.getByRole('radio', { name: 'Show segment M3' }).check();
    await expect(trail).toHaveAttribute('aria-label', /segment "M3"/);

    expect(errors).toEqual([]);
  });

  test('exports import back exactly; damaged or foreign files are refused and change nothing; deleting a session is for good', async ({
    page,
  }) => {
    test.setTimeout(RECORDING_TEST_TIMEOUT);
    const errors = collectPageErrors(page);
    await page.goto('/?backend=wasm');
    await waitReady(page);

    await page.getByRole('button', { name: 'Record', exact: true }).click();
    const recorder = page.getByTestId('recorder');
    await expect(recorder).toHaveAttribute('data-status', 'recording');
    const id = (await recorder.getAttribute('data-id'))!;
    await waitForMoreFrames(page, 10);
    // A label that needs CSV quoting.
    await page.getByLabel('Marker label').fill('stimulus "B", onset');
    await page.getByLabel('Marker label').press('Enter');
    await expect(recorder).toHaveAttribute('data-markers', '1');
    await waitForMoreFrames(page, 15);
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await expect(recorder).toHaveAttribute('data-status', 'idle');
    const item = page.getByTestId('session');
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute('data-status', 'complete');
    const frames = Number(await item.getAttribute('data-frames'));
    expect(frames).toBeGreaterThanOrEqual(25);

    await item.getByRole('button', { name: /^Open / }).click();
    await expect(page.getByTestId('review')).toHaveAttribute('data-id', id);
    const json = await download(page, 'Export JSON');
    const csvFile = await download(page, 'Export CSV');
    expect(json.name).toMatch(/\.json$/);
    const original = JSON.parse(json.text) as { id: string; schemaVersion: number; frames: unknown[]; markers: { label: string }[] };
    expect(original.id).toBe(id);
    expect(original.schemaVersion).toBe(1);
    expect(original.frames).toHaveLength(frames);
    expect(original.markers.map((m) => m.label)).toEqual(['stimulus "B", onset']);
    const csv = readExportedCsv(csvFile.text);
    checkCsvShape(csv);
    expect(csv.rows).toHaveLength(frames);
    expect(csv.meta.markers.map((m) => m.label)).toEqual(['stimulus "B", onset']);
    expect(csv.meta.baseline).toBeNull();
    expect(csv.rows.every((r) => r.valence_rel === '' && r.arousal_rel === '')).toBe(true);

    // Damaged and foreign files: a message naming the file and the problem; the list and the open review unchanged.
    const importInput = page.getByLabel('Import a recording (CSV or JSON)');
    const problem = page.getByTestId('research-problem');
    const png = PNG.sync.write(new PNG({ width: 4, height: 4 }));
    // Cut off in the middle of a row, as an interrupted copy would be: lines 1-8 whole, then 10 cells of line 9.
    const csvLines = csvFile.text.split('\n');
    const cutCsv = [...csvLines.slice(0, 8), csvLines[8]!.split(',').slice(0, 10).join(',')].join('\n') + '\n';
    const bad: { name: string; mimeType: string; buffer: Buffer; message: RegExp }[] = [
      {
        name: 'truncated.json',
        mimeType: 'application/json',
        buffer: Buffer.from(json.text.slice(0, Math.floor(json.text.length / 2))),
        message: /truncated\.json: not valid JSON/,
      },
      {
        name: 'foreign.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('time,valence,arousal\n0,0.1,0.2\n33,0.2,0.1\n'),
        message: /foreign\.csv: not a Circumplex recording/,
      },
      { name: 'photo.json', mimeType: 'application/json', buffer: png, message: /photo\.json: not a Circumplex recording/ },
      {
        name: 'newer.json',
        mimeType: 'application/json',
        buffer: Buffer.from(json.text.replace('"schemaVersion":1', '"schemaVersion":2')),
        message: /newer\.json: schemaVersion 2 is not supported/,
      },
      { name: 'cut.csv', mimeType: 'text/csv', buffer: Buffer.from(cutCsv), message: /cut\.csv: line 9: 10 fields, expected \d+/ },
    ];
    for (const file of bad) {
      await importInput.setInputFiles({ name: file.name, mimeType: file.mimeType, buffer: file.buffer });
      await expect(problem).toBeVisible();
      await expect(problem).toHaveText(file.message);
      await expect(problem).toContainText('Import failed');
      await expect(page.getByTestId('session')).toHaveCount(1);
      await expect(page.getByTestId('review')).toHaveAttribute('data-id', id);
      expect((await storedSessions(page)).map((s) => [s.id, s.frameCount])).toEqual([[id, frames]]);
    }

    // Delete: gone from the list and the review, and still gone after a reload.
    await page
      .getByTestId('session')
      .getByRole('button', { name: /^Delete / })
      .click();
    await expect(page.getByTestId('session')).toHaveCount(0);
    await expect(page.getByTestId('review')).toHaveCount(0);
    await page.reload();
    await waitReady(page);
    await expect(page.getByText('No stored sessions yet.')).toBeVisible();
    expect(await storedSessions(page)).toEqual([]);
    await expect(page.getByTestId('session')).toHaveCount(0);

    // The JSON export imports back as the same session (listed again), and re-exports byte for byte.
    await importInput.setInputFiles({ name: json.name, mimeType: 'application/json', buffer: Buffer.from(json.text) });
    await expect(page.getByTestId('review')).toHaveAttribute('data-id', id);
    await expect(problem).toHaveCount(0);
    await expect(page.getByTestId('review')).toHaveAttribute('data-frames', String(frames));
    await expect(page.getByTestId('session')).toHaveCount(1);
    await expect(page.getByTestId('session')).toHaveAttribute('data-frames', String(frames));
    expect((await download(page, 'Export JSON')).text).toBe(json.text);
    expect((await download(page, 'Export CSV')).text).toBe(csvFile.text);

    // The CSV export too, over the stored copy (same id: replaced, not duplicated).
    await page.getByRole('button', { name: 'Close review' }).click();
    await expect(page.getByTestId('review')).toHaveCount(0);
    await importInput.setInputFiles({ name: csvFile.name, mimeType: 'text/csv', buffer: Buffer.from(csvFile.text) });
    await expect(page.getByTestId('review')).toHaveAttribute('data-id', id);
    await expect(page.getByTestId('session')).toHaveCount(1);
    const reCsv = await download(page, 'Export CSV');
    expect(reCsv.text).toBe(csvFile.text);
    expect(reCsv.name).toBe(csvFile.name);
    expect((await download(page, 'Export JSON')).text).toBe(json.text);

    // Imported sessions are stored: listed after a reload, and open to the same content.
    await page.reload();
    await expect(page.getByTestId('session')).toHaveCount(1, { timeout: PROGRESS_TIMEOUT });
    await expect(page.getByTestId('session')).toHaveAttribute('data-id', id);
    await page
      .getByTestId('session')
      .getByRole('button', { name: /^Open / })
      .click();
    await expect(page.getByTestId('review')).toHaveAttribute('data-id', id);
    expect((await download(page, 'Export JSON')).text).toBe(json.text);
    await page
      .getByTestId('session')
      .getByRole('button', { name: /^Delete / })
      .click();
    await expect(page.getByTestId('session')).toHaveCount(0);
    await page.reload();
    await waitReady(page);
    await expect(page.getByText('No stored sessions yet.')).toBeVisible();
    expect(await storedSessions(page)).toEqual([]);

    expect(errors).toEqual([]);
  });
});
