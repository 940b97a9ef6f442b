/**
 * Before the end-to-end tests: derives the fake cameras' clips (the CK+ clip with frame codes stamped in,
 * e2e/frame-code.ts, and the calibration clip, e2e/calibration-clip.ts) from ../shared, once per checkout. Without ../shared the tests that need it skip.
 */
import { CKPLUS_SOURCE_VIDEO, CKPLUS_VIDEO, HAS_SHARED } from './fixtures.ts';
import { writeStampedClip } from './frame-code.ts';
import { writeCalibrationClip } from './calibration-clip.ts';

export default function globalSetup(): void {
  if (!HAS_SHARED) return;
  writeStampedClip(CKPLUS_SOURCE_VIDEO, CKPLUS_VIDEO);
  writeCalibrationClip();
}
