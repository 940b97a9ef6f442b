/**
 * The live path end to end in Chromium with the fake camera playing the CK+ video: detection rate, the sign
 * of valence at the apex of clearly positive/negative expressions, live accuracy at the apex against the same
 * model offline on CK+48's copies of the same frames, charts drawn, tensors not leaking, and backend parity (WebGPU on SwiftShader vs
 * wasm). Per-frame records come from the app's debug API (src/app/debug-api.ts); the clip frame each record
 * showed comes from the frame code stamped into the camera's clip (e2e/frame-code.ts), so every check holds at
 * any processing rate: the test waits for the frames it needs, however slowly they come.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from '@playwright/test';
import { EMOTIONS, FOLDER_NAMES } from '../src/core/emotions.ts';
import { parseManifest } from '../src/core/manifest.ts';
import { preprocessFace } from '../src/core/preprocess.ts';
import type { DebugFrame as FrameRecord } from '../harness/debug-api.ts';
import { ckplus48Name, clipFrames, isCkplus48Frame, processedFps, readLabels } from './ckplus-video.ts';
import type { VideoFrameLabel } from './ckplus-video.ts';
import { readFrameCodes } from './frame-code.ts';
import { PROGRESS_TEST_TIMEOUT, PROGRESS_TIMEOUT, waitForCamera, waitFrames } from './progress.ts';
import { CKPLUS_VIDEO, collectPageErrors, expect, HAS_SHARED, REPO_ROOT, SHARED_DIR, SHARED_MISSING, test } from './fixtures.ts';

const LABELS = path.join(SHARED_DIR, 'media/ckplus40-10fps-labels.csv');
const CKPLUS48 = path.join(SHARED_DIR, 'datasets/ckplus48/CK+48');
const MODELS = path.join(REPO_ROOT, 'public/models');
const manifest = existsSync(path.join(MODELS, 'manifest.json'))
  ? parseManifest(readFileSync(path.join(MODELS, 'manifest.json'), 'utf8'))
  : undefined;
const expression = manifest?.models.find((m) => m.task === 'face-expression');
const NO_MODEL = 'no expression model in public/models/manifest.json (npm run export -- --cnn RUN_DIR)';
/** Frames analysed before the checks: the first WARM_UP are left out of the tensor check, which spans the rest. */
const WARM_UP = 100;
const MIN_FRAMES = 600;
/**
 * Apex frames (a sequence's last three, the frames CK+48 holds) with a face wanted in all, and the share of the clip's
 * 40 sequences seen at their apex. Not every one: which camera frames a slow machine analyses is chance, and the
 * last of a sequence's three apex frames can stay unseen for minutes.
 */
const APEX_FRAMES = 150;
const APEX_SEQUENCES = 0.9;
/** Classes a CK+ apex can be: every class but neutral (CK+48 has no neutral folder). */
const NON_NEUTRAL = EMOTIONS.map((e, i) => ({ e, i })).filter(({ e }) => e !== 'neutral');

function topNonNeutral(probs: readonly number[]): string {
  let best = NON_NEUTRAL[0]!;
  for (const c of NON_NEUTRAL) if ((probs[c.i] ?? 0) > (probs[best.i] ?? 0)) best = c;
  return best.e;
}

/** The probability of `emotion` among the non-neutral classes (what topNonNeutral picks from). */
function nonNeutralShare(probs: readonly number[], emotion: string): number {
  const total = NON_NEUTRAL.reduce((s, c) => s + (probs[c.i] ?? 0), 0);
  return (probs[(EMOTIONS as readonly string[]).indexOf(emotion)] ?? 0) / total;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function records(page: Page): Promise<FrameRecord[]> {
  return page.evaluate(() => window.circumplex!.frames());
}

interface ApexFrame {
  readonly record: FrameRecord;
  readonly label: VideoFrameLabel;
}

/** Records analysed on an apex frame (one of its sequence's last three: the frames CK+48 holds) with a face, each with its clip frame's label. */
function apexFrames(
  all: readonly FrameRecord[],
  indices: readonly (number | undefined)[],
  labels: readonly VideoFrameLabel[],
): ApexFrame[] {
  return all.flatMap((record, i) => {
    const index = indices[i];
    const label = index === undefined ? undefined : labels[index];
    return label && record.found && record.probs && record.cnn && isCkplus48Frame(label) ? [{ record, label }] : [];
  });
}

/** "done: ..." once MIN_FRAMES frames are analysed, APEX_FRAMES of them apex frames, and APEX_SEQUENCES of the sequences seen at their apex; else how far it got. */
function progress(all: readonly FrameRecord[], apex: readonly ApexFrame[], labels: readonly VideoFrameLabel[]): string {
  const sequences = [...new Set(labels.map((l) => l.sequence))];
  const counts = new Map<string, number>();
  for (const a of apex) counts.set(a.label.sequence, (counts.get(a.label.sequence) ?? 0) + 1);
  const seen = sequences.filter((s) => counts.has(s)).length;
  const wanted = Math.ceil(APEX_SEQUENCES * sequences.length);
  const state = `${all.length}/${MIN_FRAMES} frames analysed, ${apex.length}/${APEX_FRAMES} on apex frames, ${seen}/${wanted} of ${sequences.length} sequences seen at their apex`;
  return all.length >= MIN_FRAMES && apex.length >= APEX_FRAMES && seen >= wanted ? `done: ${state}` : state;
}

/** Offline accuracy of the loaded model on CK+48 (7 classes, argmax over the non-neutral classes), run in the page. */
async function ckplus48Accuracy(page: Page): Promise<{
  accuracy: number;
  count: number;
  signs: string;
  correct: ReadonlyMap<string, boolean>;
  probs: ReadonlyMap<string, readonly number[]>;
}> {
  const input = expression!.input;
  const spec = { size: input.shape[0]!, margin: 0, normalisation: input.normalisation };
  const samples: { name: string; label: string; pixels: number[] }[] = [];
  for (const folder of readdirSync(CKPLUS48).sort()) {
    const label = FOLDER_NAMES[folder];
    if (!label) continue;
    for (const f of readdirSync(path.join(CKPLUS48, folder)).filter((n) => n.endsWith('.png'))) {
      const png = PNG.sync.read(readFileSync(path.join(CKPLUS48, folder, f)));
      samples.push({
        name: f.replace(/\.png$/, ''),
        label,
        pixels: Array.from(
          preprocessFace({ data: png.data, width: png.width, height: png.height, channels: 4 }, spec),
          (v) => Math.round(v * 1e6) / 1e6,
        ),
      });
    }
  }
  const correct = new Map<string, boolean>();
  const probsByName = new Map<string, readonly number[]>();
  const valence = new Map<string, number[]>();
  for (let i = 0; i < samples.length; i += 100) {
    const chunk = samples.slice(i, i + 100);
    const probs = await page.evaluate(
      async (inputs) => {
        const out: { probs: readonly number[]; valence: number }[] = [];
        for (const x of inputs) {
          const r = await window.circumplex!.probe(x);
          out.push({ probs: r.probs, valence: r.va.valence });
        }
        return out;
      },
      chunk.map((s) => s.pixels),
    );
    probs.forEach((p, j) => {
      const { name, label } = chunk[j]!;
      correct.set(name, topNonNeutral(p.probs) === label);
      probsByName.set(name, p.probs);
      valence.set(label, [...(valence.get(label) ?? []), p.valence]);
    });
  }
  // The same sign criterion offline, per image: tells a weak model apart from a faulty live path.
  const signs = ['happy', 'anger', 'disgust', 'sad']
    .map((e) => {
      const v = valence.get(e) ?? [];
      const right = v.filter((x) => (e === 'happy' ? x > 0 : x < 0)).length;
      return `${e} ${right}/${v.length}`;
    })
    .join(', ');
  return {
    accuracy: [...correct.values()].filter(Boolean).length / samples.length,
    count: samples.length,
    signs,
    correct,
    probs: probsByName,
  };
}

test.describe('live valence/arousal with the fake camera', () => {
  test.skip(!HAS_SHARED || !existsSync(LABELS), SHARED_MISSING);
  test.skip(!expression, NO_MODEL);

  test('CK+ video: faces found, apex valence signs, live vs offline accuracy, charts drawn, no tensor leak', async ({
    openApp,
  }, testInfo) => {
    // Waits for frames, not for time: about 1 min on an idle 2-core machine; with a busy core the app analyses a few
    // frames a second and covering every sequence's apex takes several minutes.
    test.setTimeout(1_500_000);
    const page = await openApp({ camera: { file: CKPLUS_VIDEO }, grant: true }, '/?backend=wasm');
    const errors = collectPageErrors(page);
    await waitForCamera(page);
    await expect(page.getByTestId('hud')).toHaveAttribute('data-backend', 'wasm');
    const labels = readLabels(LABELS);
    let all: FrameRecord[] = [];
    let frames = clipFrames([], new Map(), labels.length);
    let apex: ApexFrame[] = [];
    let logged = 0;
    await expect
      .poll(
        async () => {
          // Only the records since the last poll: serialising thousands each time would slow the app it measures.
          const after = all.at(-1)?.n ?? 0;
          all = [...all, ...(await page.evaluate((n) => window.circumplex!.frames().filter((r) => r.n > n), after))];
          frames = clipFrames(all, await readFrameCodes(page), labels.length);
          apex = apexFrames(all, frames.indices, labels);
          const state = progress(all, apex, labels);
          if (Date.now() - logged > 30_000) {
            logged = Date.now();
            console.log(`live-va: ${state}`);
          }
          return state;
        },
        { timeout: 1_200_000, intervals: [5000] },
      )
      .toMatch(/^done: /);
    writeFileSync(testInfo.outputPath('frames.json'), JSON.stringify({ records: all, clipFrames: frames.indices }));

    // Charts: DOM points, and a screenshot for the record.
    await expect(page.getByTestId('circumplex-point')).toHaveCount(1);
    expect(await page.getByTestId('circumplex-trail-point').count()).toBeGreaterThan(0);
    await expect(page.getByTestId('timeline')).not.toHaveAttribute('data-points', '0');
    expect(await page.locator('[data-testid="timeline"] path.line-curve').first().getAttribute('d')).toMatch(/^M/);
    await page.screenshot({ path: testInfo.outputPath('live.png'), fullPage: true });
    await testInfo.attach('live', { path: testInfo.outputPath('live.png'), contentType: 'image/png' });

    // Tensors: flat over every frame after the warm-up.
    const afterWarmUp = all.slice(WARM_UP).map((r) => r.numTensors);
    // Detection rate over every processed frame (every frame of the clip shows one face).
    const found = all.filter((r) => r.found).length / all.length;

    const bySequence = new Map<string, { emotion: string; valence: number[] }>();
    let liveCorrect = 0;
    for (const { record, label } of apex) {
      const emotion = FOLDER_NAMES[label.emotion] ?? label.emotion;
      if (topNonNeutral(record.probs!) === emotion) liveCorrect++;
      const s = bySequence.get(label.sequence) ?? { emotion, valence: [] };
      s.valence.push(record.cnn!.valence);
      bySequence.set(label.sequence, s);
    }
    const signed = [...bySequence.entries()].filter(([, s]) => ['happy', 'anger', 'disgust', 'sad'].includes(s.emotion));
    const rightSign = signed.filter(([, s]) => (s.emotion === 'happy' ? median(s.valence) > 0 : median(s.valence) < 0));
    const liveAccuracy = liveCorrect / apex.length;
    const offline = await ckplus48Accuracy(page);
    // The same model offline on the same frames, as CK+48 crops them, counted as often as the live path saw each.
    const offlineSameFrames = apex.filter((a) => offline.correct.get(ckplus48Name(a.label))).length / apex.length;
    // Per apex frame, live against offline on CK+48's copy: the true class's share, and whether both pick one class.
    const paired = apex.map((a) => ({
      live: a.record.probs!,
      offline: offline.probs.get(ckplus48Name(a.label)) ?? [],
      emotion: FOLDER_NAMES[a.label.emotion] ?? a.label.emotion,
    }));
    const liveShare = mean(paired.map((p) => nonNeutralShare(p.live, p.emotion)));
    const offlineShare = mean(paired.map((p) => nonNeutralShare(p.offline, p.emotion)));
    const sameTop = paired.filter((p) => topNonNeutral(p.live) === topNonNeutral(p.offline)).length / paired.length;

    const stage = (k: keyof FrameRecord['stages']) => median(all.slice(WARM_UP).map((r) => r.stages[k])).toFixed(1);
    const summary = {
      frames: all.length,
      processedFps: processedFps(all).toFixed(1),
      faceFound: `${(found * 100).toFixed(1)}%`,
      frameCodes: `${all.length - frames.missing - frames.unreadable} read, ${frames.unreadable} unreadable, ${frames.missing} missing`,
      clipFramesSeen: new Set(frames.indices.filter((i) => i !== undefined)).size,
      apexFrames: apex.length,
      sequences: bySequence.size,
      apexValenceSign: `${rightSign.length}/${signed.length} happy/anger/disgust/sad sequences`,
      perSequence: signed.map(([name, s]) => `${name} ${s.emotion} ${median(s.valence).toFixed(2)}`).join('; '),
      liveAccuracy: `${(liveAccuracy * 100).toFixed(1)}% (${apex.length} apex frames)`,
      offlineSameFrames: `${(offlineSameFrames * 100).toFixed(1)}% (CK+48's copies of the same apex frames)`,
      trueClassShare: `live ${liveShare.toFixed(3)}, offline ${offlineShare.toFixed(3)} (same frames)`,
      sameTopClass: `${(sameTop * 100).toFixed(1)}% of apex frames`,
      offlineCkplus48: `${(offline.accuracy * 100).toFixed(1)}% (all ${offline.count} images); valence sign right: ${offline.signs}`,
      medianMs: `grab ${stage('grab')} detect ${stage('detect')} crop ${stage('crop')} cnn ${stage('cnn')} gru ${stage('gru')} total ${stage('total')}`,
      tensors: afterWarmUp[0],
    };
    console.log(JSON.stringify(summary, null, 2));
    testInfo.annotations.push({ type: 'live-summary', description: JSON.stringify(summary) });

    // Every analysed frame's code was read back from the bitmap the app analysed.
    expect(frames.unreadable).toBe(0);
    expect(frames.missing).toBe(0);
    expect(Math.max(...afterWarmUp) - Math.min(...afterWarmUp)).toBe(0);
    expect(found).toBeGreaterThanOrEqual(0.95);
    expect(signed.length).toBeGreaterThanOrEqual(10);
    expect(rightSign.length / signed.length).toBeGreaterThanOrEqual(0.8);
    expect(apex.every((a) => offline.correct.has(ckplus48Name(a.label)))).toBe(true);
    // Live against offline on the same frames, by probabilities rather than accuracy: over ~150 apex frames of 40
    // sequences accuracy moves by a few points between runs (which frames get analysed is chance, and a frame near a
    // class boundary flips with a pixel of crop). In 11 runs on one machine the accuracy gap went from -3.9 to +1.2
    // points, while the true class's share was 0.020-0.031 lower live and both picked one class on 89.7-93.8% of frames.
    // A crop or preprocessing fault moves both far more.
    expect(Math.abs(liveShare - offlineShare)).toBeLessThanOrEqual(0.05);
    expect(sameTop).toBeGreaterThanOrEqual(0.85);
    expect(errors).toEqual([]);
  });

  test('WebGPU (SwiftShader) gives the wasm valence/arousal on a fixed input, and a lost device falls back to wasm', async ({
    openApp,
  }) => {
    test.setTimeout(2 * PROGRESS_TEST_TIMEOUT);
    const golden = JSON.parse(readFileSync(path.join(MODELS, expression!.name, 'golden.json'), 'utf8')) as {
      inputs: number[][];
      outputs: { va?: number[][] };
    };
    const input = golden.inputs[0]!;
    const probe = async (backend: string) => {
      const page = await openApp(
        { camera: { file: CKPLUS_VIDEO }, grant: true, extraArgs: ['--enable-unsafe-webgpu'] },
        `/?backend=${backend}`,
      );
      await waitForCamera(page);
      await expect(page.getByTestId('hud')).toHaveAttribute('data-backend', backend);
      return { page, out: await page.evaluate((x) => window.circumplex!.probe(x), input) };
    };
    const wasm = await probe('wasm');
    await wasm.page.close();
    const webgpu = await probe('webgpu');
    expect(webgpu.out.backend).toBe('webgpu');
    expect(Math.abs(webgpu.out.va.valence - wasm.out.va.valence)).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(webgpu.out.va.arousal - wasm.out.va.arousal)).toBeLessThanOrEqual(1e-3);
    console.log(
      `va wasm ${JSON.stringify(wasm.out.va)} webgpu ${JSON.stringify(webgpu.out.va)} golden ${JSON.stringify(golden.outputs.va?.[0])}`,
    );

    // A lost device: the session continues on the next backend.
    const page = webgpu.page;
    await page.evaluate(() => window.circumplex!.loseGpuDevice());
    await expect(page.getByTestId('hud')).toHaveAttribute('data-backend', 'wasm', { timeout: PROGRESS_TIMEOUT });
    await expect(page.getByTestId('backend-reason')).toContainText('WebGPU device lost');
    await waitFrames(page, 10);
    await expect(page.getByTestId('camera-status')).toHaveText(/Camera: on/);
  });

  test('the shipped temporal model drives the readout through the streaming GRU', async ({ page }) => {
    test.setTimeout(PROGRESS_TEST_TIMEOUT);
    const manifest = JSON.parse(readFileSync(path.join(MODELS, 'manifest.json'), 'utf8')) as { models: { task: string }[] };
    test.skip(
      !manifest.models.some((m) => m.task === 'temporal-va'),
      'no temporal-va model in public/models/manifest.json (npm run export -- --rnn RUN)',
    );
    const errors = collectPageErrors(page);
    await page.goto('/?backend=wasm');
    await waitForCamera(page);
    // The GRU runs per frame; its coverage grows to the 81..100 frames of the 5 staggered states.
    await expect(page.getByTestId('hud')).toContainText(/streaming GRU, (8\d|9\d|100) frames/, { timeout: PROGRESS_TIMEOUT });
    await expect(page.getByTestId('readout')).toHaveAttribute('data-valence', /^-?\d/);
    const gru = (await records(page)).slice(-50).map((r) => r.stages.gru);
    console.log(`streaming GRU in the worker: median ${median(gru).toFixed(2)} ms per frame`);
    expect(errors).toEqual([]);
  });
});
