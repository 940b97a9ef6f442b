/**
 * What the peer benchmark page (bench/peers/main.ts) exposes as `window.peerBench`, read by the Node
 * side (bench/lib/peer-bench.ts). Times are performance.now() on the page (ms since navigation start).
 */
export const PEERS = ['human', 'face-api'] as const;
export type PeerName = (typeof PEERS)[number];

export interface PeerFrame {
  /** performance.now() when the result was ready. */
  readonly t: number;
  /** Whole call, from handing the video frame to the library to its emotion result. */
  readonly total: number;
  /** Face detection (for Human: its face stage minus emotion, its own integer-ms counters). */
  readonly detect: number;
  /** Face crop (face-api: extractFaces; Human crops inside its face stage: NaN). */
  readonly crop: number;
  /** Emotion model on the crop. */
  readonly emotion: number;
  /** A face and an emotion came back. */
  readonly found: boolean;
}

export interface PeerBenchState {
  readonly peer: PeerName;
  /** 'loading' until the models are in, 'running' while frames are processed, or 'error'. */
  status: 'loading' | 'running' | 'error';
  /** The TF.js backend actually in use (tf.getBackend()). */
  backend: string;
  /** The library's version string. */
  version: string;
  error: string | undefined;
  /** performance.now() when the models were loaded. */
  loadedAt: number | undefined;
  /** performance.now() of the first frame with a face and an emotion: the cold start. */
  firstPredictionAt: number | undefined;
  readonly frames: PeerFrame[];
}

declare global {
  interface Window {
    peerBench?: PeerBenchState;
  }
}
