import { describe, expect, it } from 'vitest';
import { workerScriptResponse, workerScriptResponses } from './worker-script-responses.ts';

function cached(): Response {
  return new Response('self.onmessage = () => {};', {
    status: 200,
    statusText: 'OK',
    headers: { 'Content-Type': 'text/javascript', 'X-Kept': 'yes' },
  });
}

describe('workerScriptResponse', () => {
  it("rebuilds a worker's script with the same status, headers and body", async () => {
    const original = cached();
    const served = workerScriptResponse('worker', original);
    expect(served).not.toBe(original);
    expect(served?.status).toBe(200);
    expect(served?.statusText).toBe('OK');
    expect(served?.headers.get('Content-Type')).toBe('text/javascript');
    expect(served?.headers.get('X-Kept')).toBe('yes');
    expect(await served?.text()).toBe('self.onmessage = () => {};');
  });

  it("rebuilds a shared worker's script too", () => {
    const original = cached();
    expect(workerScriptResponse('sharedworker', original)).not.toBe(original);
  });

  it('leaves the page, its scripts and everything else as cached', () => {
    for (const destination of ['document', 'script', '', 'image'] as const) {
      const original = cached();
      expect(workerScriptResponse(destination, original)).toBe(original);
    }
  });

  it('passes a cache miss on as a miss', () => {
    expect(workerScriptResponse('worker', null)).toBeNull();
    expect(workerScriptResponse('worker', undefined)).toBeNull();
  });

  it("judges by the fetch event's request, not the precache's own request for the cache key", async () => {
    const use = workerScriptResponses.cachedResponseWillBeUsed!;
    const cacheKeyRequest = new Request('http://localhost/assets/worker.js'); // destination ''
    const fetchEvent = (destination: string) =>
      Object.assign(new Event('fetch'), { request: { destination } }) as unknown as ExtendableEvent;
    const original = cached();
    const asWorker = await use({
      request: cacheKeyRequest,
      cachedResponse: original,
      cacheName: 'p',
      event: fetchEvent('worker'),
      state: {},
    });
    expect(asWorker).not.toBe(original);
    expect(await asWorker?.text()).toBe('self.onmessage = () => {};');
    const other = cached();
    expect(await use({ request: cacheKeyRequest, cachedResponse: other, cacheName: 'p', event: fetchEvent('script'), state: {} })).toBe(
      other,
    );
    // Without a fetch event (the precache's own lookups), the request given decides.
    const third = cached();
    expect(
      await use({
        request: cacheKeyRequest,
        cachedResponse: third,
        cacheName: 'p',
        event: new Event('install') as ExtendableEvent,
        state: {},
      }),
    ).toBe(third);
  });
});
