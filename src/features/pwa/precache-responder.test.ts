import { describe, expect, it, vi } from 'vitest';
import { precachedResponse, precacheKeyFor } from './precache-responder.ts';
import type { PrecacheLookup } from './precache-responder.ts';

const ORIGIN = 'https://app.example/';
const KEYS = new Map([
  [`${ORIGIN}index.html`, `${ORIGIN}index.html?__WB_REVISION__=abc`],
  [`${ORIGIN}assets/index-1234abcd.js`, `${ORIGIN}assets/index-1234abcd.js`],
  [`${ORIGIN}models/manifest.json`, `${ORIGIN}models/manifest.json?__WB_REVISION__=def`],
]);

function lookupOver(entries: Record<string, string>): PrecacheLookup {
  const cache = { match: vi.fn(async (key: string) => (key in entries ? new Response(entries[key]) : undefined)) };
  return { cacheKeyFor: (url) => KEYS.get(url), shellUrl: `${ORIGIN}index.html`, openCache: async () => cache as unknown as Cache };
}

const request = (url: string, method = 'GET', mode: RequestMode = 'cors') => ({ url, method, mode });

describe('precacheKeyFor', () => {
  const lookup = lookupOver({});

  it('answers a precached file with its precache key, revision and all', () => {
    expect(precacheKeyFor(request(`${ORIGIN}assets/index-1234abcd.js`), lookup)).toBe(`${ORIGIN}assets/index-1234abcd.js`);
    expect(precacheKeyFor(request(`${ORIGIN}models/manifest.json`), lookup)).toBe(`${ORIGIN}models/manifest.json?__WB_REVISION__=def`);
  });

  it('answers every navigation with the app shell, whatever its path or query', () => {
    for (const url of [ORIGIN, `${ORIGIN}?backend=wasm`, `${ORIGIN}review`]) {
      expect(precacheKeyFor(request(url, 'GET', 'navigate'), lookup)).toBe(`${ORIGIN}index.html?__WB_REVISION__=abc`);
    }
  });

  it('leaves to workbox what the precache does not hold, and anything but a GET', () => {
    expect(precacheKeyFor(request(`${ORIGIN}assets/index-1234abcd.js.map`), lookup)).toBeUndefined();
    expect(precacheKeyFor(request(`${ORIGIN}models/manifest.json?fresh=1`), lookup)).toBeUndefined();
    expect(precacheKeyFor(request(`${ORIGIN}assets/index-1234abcd.js`, 'POST'), lookup)).toBeUndefined();
  });
});

describe('precachedResponse', () => {
  const key = `${ORIGIN}assets/index-1234abcd.js`;
  const never = async (): Promise<Response> => {
    throw new Error('the network was asked');
  };

  it('serves the cached response for the key', async () => {
    const lookup = lookupOver({ [key]: 'cached script' });
    const served = await precachedResponse({ destination: 'script' }, key, lookup, never);
    expect(await served.text()).toBe('cached script');
  });

  it("rebuilds a worker's script, as worker-script-responses.ts does for workbox's route", async () => {
    const lookup = lookupOver({ [key]: 'worker code' });
    const cache = await lookup.openCache();
    const cached = await cache.match(key);
    vi.mocked(cache.match).mockResolvedValueOnce(cached);
    const served = await precachedResponse({ destination: 'worker' }, key, lookup, never);
    expect(served).not.toBe(cached);
    expect(await served.text()).toBe('worker code');
  });

  it('asks the network when the entry has gone from the cache', async () => {
    const lookup = lookupOver({});
    const fromNetwork = vi.fn(async () => new Response('from the network'));
    const asked = { destination: 'script' as const };
    const served = await precachedResponse(asked, key, lookup, fromNetwork);
    expect(fromNetwork).toHaveBeenCalledWith(asked);
    expect(await served.text()).toBe('from the network');
  });
});
