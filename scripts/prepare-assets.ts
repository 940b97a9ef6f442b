/**
 * Runs after `npm install`: puts every runtime asset the app needs under public/ so it is served by
 * the app itself (offline, no CDN):
 * - public/vendor/tfjs/       the @tensorflow/tfjs-backend-wasm binaries (both workers: face detector, CNN and GRU)
 * - public/models/face_detector.tflite + its manifest entry (derived from @mediapipe/face_detection)
 * public/vendor is generated; the derived detector is committed, and re-deriving it must give the
 * same bytes (a unit test checks this).
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DETECTOR_FILE, deriveFaceDetector, faceDetectorManifestEntry, readSourceModel } from './face-detector-metadata.ts';
import { upsertManifestFile } from '../training/export/manifest-upsert.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Some of these packages' "exports" maps hide package.json and their asset folders from resolution;
// npm installs them at node_modules/<name>.
function packageDir(name: string): string {
  const dir = path.join(root, 'node_modules', name);
  if (!existsSync(dir)) throw new Error(`prepare-assets: ${name} is not installed in node_modules; run npm install`);
  return dir;
}

function copyMatching(fromDir: string, toDir: string, keep: (file: string) => boolean): string[] {
  mkdirSync(toDir, { recursive: true });
  const files = readdirSync(fromDir).filter(keep).sort();
  if (files.length === 0) throw new Error(`prepare-assets: no files to copy in ${fromDir}`);
  for (const f of files) copyFileSync(path.join(fromDir, f), path.join(toDir, f));
  return files;
}

// The app once ran MediaPipe's own wasm runtime; a checkout that still has its copy drops it.
rmSync(path.join(root, 'public/vendor/mediapipe'), { recursive: true, force: true });
const tfjs = copyMatching(path.join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist'), path.join(root, 'public/vendor/tfjs'), (f) =>
  f.endsWith('.wasm'),
);

const modelsDir = path.join(root, 'public/models');
const detectorPath = path.join(modelsDir, DETECTOR_FILE);
const source = readSourceModel(root);
if (source) {
  mkdirSync(modelsDir, { recursive: true });
  const derived = deriveFaceDetector(source.bytes);
  if (!existsSync(detectorPath) || !Buffer.from(derived).equals(readFileSync(detectorPath))) writeFileSync(detectorPath, derived);
  upsertManifestFile(path.join(modelsDir, 'manifest.json'), faceDetectorManifestEntry(modelsDir, source.packageVersion));
  console.log(`prepare-assets: ${DETECTOR_FILE} (${derived.byteLength} bytes) derived and listed in manifest.json`);
} else {
  // Production installs (--omit=dev) lack the source package; the committed file is used as is.
  console.log(`prepare-assets: @mediapipe/face_detection not installed; keeping the committed ${DETECTOR_FILE}`);
}
console.log(`prepare-assets: ${tfjs.length} tfjs wasm files -> public/vendor/tfjs`);
