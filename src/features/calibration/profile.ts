/**
 * A stored personal calibration ("profile"): the fitted correction, what it was fitted on, and a hash of its
 * parameters, so a recording can say exactly which correction produced its readings.
 */
import { sha256HexOf } from '../../core/manifest.ts';
import type { CalibrationVerdict, PersonalHead } from '../../core/personal-head.ts';
import type { RecordedProfile } from '../recording/schema.ts';

export interface Profile {
  readonly id: string;
  readonly name: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** sha256 (hex, first 16 digits) of the parameters. */
  readonly hash: string;
  readonly head: PersonalHead;
  readonly verdict: CalibrationVerdict;
  /** Frames the correction was fitted on. */
  readonly frames: number;
}

/** `<id>:<hash>`: the profile, and exactly which parameters. */
export function profileKey(profile: Pick<Profile, 'id' | 'hash'>): string {
  return `${profile.id}:${profile.hash}`;
}

/** The hash of a correction's parameters (size, centre, dW, db, dV, dc, classes), independent of its name. */
export async function parameterHash(head: PersonalHead): Promise<string> {
  const arrays = [Float32Array.of(head.featureSize), head.centre, head.dW, head.db, head.dV, head.dc];
  const classes = new TextEncoder().encode(head.classes.join(','));
  const bytes = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0) + classes.byteLength);
  let at = 0;
  for (const a of arrays) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  bytes.set(classes, at);
  return (await sha256HexOf(bytes)).slice(0, 16);
}

/** A profile as a recording's JSON carries it: plain numbers, enough to reapply the correction. */
export function profileForExport(profile: Profile): ExportedProfile {
  const { head } = profile;
  return {
    id: profile.id,
    name: profile.name,
    hash: profile.hash,
    createdAt: profile.createdAt,
    head: {
      featureSize: head.featureSize,
      classes: [...head.classes],
      centre: [...head.centre],
      dW: [...head.dW],
      db: [...head.db],
      dV: [...head.dV],
      dc: [...head.dc],
    },
  };
}

/** A profile as a recording carries it. */
export type ExportedProfile = RecordedProfile;
