/**
 * Before the end-to-end tests: derives the fake camera's clip (the CK+ clip with frame codes stamped in,
 * e2e/frame-code.ts) from ../shared, once per checkout. Without ../shared the tests that need it skip.
 */
import { CKPLUS_SOURCE_VIDEO, CKPLUS_VIDEO, HAS_SHARED } from './fixtures.ts';
import { writeStampedClip } from './frame-code.ts';

export default function globalSetup(): void {
  if (HAS_SHARED) writeStampedClip(CKPLUS_SOURCE_VIDEO, CKPLUS_VIDEO);
}
