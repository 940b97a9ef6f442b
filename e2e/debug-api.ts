/**
 * The page's `window.circumplex` debug API (src/app/debug-api.ts), as the tests read it. Declared here
 * because the e2e project does not compile the app's sources; keep the two in step.
 */
export interface DebugFrame {
  readonly n: number;
  readonly t: number;
  readonly mediaTime: number | undefined;
  readonly faces: number;
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number } | undefined;
  readonly found: boolean;
  readonly va: { readonly valence: number; readonly arousal: number } | undefined;
  readonly cnn: { readonly valence: number; readonly arousal: number } | undefined;
  readonly temporal: { readonly valence: number; readonly arousal: number } | undefined;
  readonly coverage: number;
  readonly top: number;
  readonly probs: readonly number[] | undefined;
  readonly stages: { readonly grab: number; readonly detect: number; readonly crop: number; readonly cnn: number; readonly gru: number; readonly worker: number; readonly total: number };
  readonly numTensors: number;
  readonly reliable: boolean;
  readonly profile: string | undefined;
}

export interface DebugApi {
  frames(): DebugFrame[];
  probe(input: readonly number[]): Promise<{ va: { valence: number; arousal: number }; probs: readonly number[]; backend: string; profile?: string }>;
  loseGpuDevice(): void;
}

declare global {
  interface Window {
    circumplex?: DebugApi;
  }
}
