/**
 * Where the checkout and its test media are: ../shared beside the checkout holds the CK+ clip the fake camera
 * plays and the CK+ image sequences (neither is in git).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
/** The CK+ clip as ../shared has it (the benchmarks' camera; the tests stamp frame codes into a copy). */
export const CKPLUS_SOURCE_VIDEO = path.join(SHARED_DIR, 'media/ckplus40-10fps.mjpeg');
export const CKPLUS_SEQUENCES = path.join(SHARED_DIR, 'datasets/ckplus-sequences/cohn-kanade-images');
export const HAS_SHARED = existsSync(CKPLUS_SOURCE_VIDEO) && existsSync(CKPLUS_SEQUENCES);
export const SHARED_MISSING = `needs ../shared (CK+ video and sequences) beside the checkout: ${SHARED_DIR} not found`;
