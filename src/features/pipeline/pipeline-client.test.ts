import { describe, expect, it } from 'vitest';
import type { ModelEntry } from '../../core/manifest.ts';
import { modelBuffers } from './pipeline-client.ts';

const entry = {} as ModelEntry;

describe('modelBuffers', () => {
  it("lists every model file's buffer once, to hand the files to the worker without copying them", () => {
    const json = new TextEncoder().encode('{}');
    const weights = new Uint8Array(16);
    const temporalJson = new TextEncoder().encode('{"gru":1}');
    // Two views of one buffer are transferred once (a buffer listed twice makes postMessage throw).
    const shared = new ArrayBuffer(8);
    const buffers = modelBuffers({
      expression: {
        entry,
        files: new Map([
          ['model.json', json],
          ['weights.bin', weights],
        ]),
      },
      temporal: {
        entry,
        files: new Map([
          ['model.json', temporalJson],
          ['a.bin', new Uint8Array(shared, 0, 4)],
          ['b.bin', new Uint8Array(shared, 4, 4)],
        ]),
      },
    });
    expect(buffers).toEqual([json.buffer, weights.buffer, temporalJson.buffer, shared]);
    const { port1, port2 } = new MessageChannel();
    expect(() => port1.postMessage(null, buffers)).not.toThrow();
    expect(weights.byteLength).toBe(0);
    port1.close();
    port2.close();
  });

  it('lists nothing without models', () => {
    expect(modelBuffers({})).toEqual([]);
  });
});
