/**
 * The notices over the live readout: what is wrong with the current input and what to do about it. Pure, so
 * every state the user can meet is covered by a unit test; LiveNotices.tsx only renders the list.
 */
import type { QualityIssue } from '../features/inference/face-quality.ts';

export type NoticeKind = 'paused' | 'no-face' | 'several-faces' | QualityIssue;

export interface Notice {
  readonly kind: NoticeKind;
  readonly text: string;
}

export interface NoticeInput {
  /** Frames are not being analysed (the tab was hidden) and no new frame has arrived yet. */
  readonly paused: boolean;
  /** Whole seconds without a face once the face-lost policy has reset the reading; undefined otherwise. */
  readonly noFaceSeconds: number | undefined;
  /** Faces in the latest frame. */
  readonly faces: number;
  /** Quality issues of the analysed face (face-quality.ts). */
  readonly issues: readonly QualityIssue[];
}

const QUALITY_TEXT: Record<QualityIssue, string> = {
  dark: 'Low light — readings unreliable. Light your face from the front.',
  bright: 'Too bright — readings unreliable. Avoid direct light on your face.',
  small: 'Face too small — readings unreliable. Move closer to the camera.',
  uncertain: 'Face unclear — readings unreliable. Face the camera.',
};

export function liveNotices({ paused, noFaceSeconds, faces, issues }: NoticeInput): Notice[] {
  // A paused picture is stale: nothing else about it is worth saying.
  if (paused) return [{ kind: 'paused', text: 'Paused while the tab was hidden — resuming…' }];
  const notices: Notice[] = [];
  if (noFaceSeconds !== undefined) notices.push({ kind: 'no-face', text: `No face found for ${noFaceSeconds} s — face the camera.` });
  if (faces > 1) notices.push({ kind: 'several-faces', text: `${faces} faces — tracking the largest.` });
  for (const issue of issues) notices.push({ kind: issue, text: QUALITY_TEXT[issue] });
  return notices;
}
