import { defineConfig } from '@playwright/test';
import { CKPLUS_VIDEO } from './e2e/fixtures.ts';
import { chromiumLaunchOptions } from './harness/chromium.ts';

/** The preview server's port; E2E_PORT lets two checkouts run their suites side by side. */
const PORT = Number(process.env.E2E_PORT ?? 4173);

// Runs against the production build (vite preview) in the system Chromium: Playwright cannot
// download browsers here. The default camera is the fake one playing the CK+ video from ../shared.
export default defineConfig({
  testDir: 'e2e',
  // Derives the fake camera's frame-coded clip from ../shared (e2e/frame-code.ts).
  globalSetup: './e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  // Two CPU cores: one browser at a time keeps detector timings meaningful.
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: chromiumLaunchOptions({ camera: { file: CKPLUS_VIDEO }, grant: true }),
    trace: 'retain-on-failure',
    // The service worker would serve model files from its cache, past page.route() mocks; the offline,
    // privacy, install/update and soak specs turn it back on with test.use({ serviceWorkers: 'allow' }).
    serviceWorkers: 'block',
  },
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
