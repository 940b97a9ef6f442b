/** One pipeline result as a recording row: the same conversion for the live camera and for a video file. */
import type { FrameResult } from '../pipeline/protocol.ts';
import type { FrameRow } from './schema.ts';

const finiteOrNull = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

export function toFrameRow(result: FrameResult, t: number, backend: string | undefined): FrameRow {
  const box = result.faces[result.tracked];
  const analysis = result.analysis;
  return {
    t,
    valence: finiteOrNull(result.va?.valence),
    arousal: finiteOrNull(result.va?.arousal),
    cnnValence: finiteOrNull(analysis?.cnn.valence),
    cnnArousal: finiteOrNull(analysis?.cnn.arousal),
    probs: analysis ? [...analysis.probs] : null,
    box: box ? { x: box.x, y: box.y, width: box.width, height: box.height } : null,
    faces: result.faces.length,
    quality: analysis ? [...analysis.quality.issues] : [],
    reliable: analysis !== undefined && analysis.quality.issues.length === 0,
    backend: backend ?? null,
    ...(analysis?.profile ? { profile: analysis.profile } : {}),
  };
}
