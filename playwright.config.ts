import { defineConfig } from '@playwright/test';
import { chromiumArgs, CKPLUS_VIDEO } from './e2e/fixtures.ts';

// Runs against the production build (vite preview) in the system Chromium: Playwright cannot
// download browsers here. The default camera is the fake one playing the CK+ video from ../shared.
export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  // Two CPU cores: one browser at a time keeps detector timings meaningful.
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: 'http://localhost:4173',
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs({ camera: { file: CKPLUS_VIDEO }, grant: true }) },
    trace: 'retain-on-failure',
    // The service worker would serve model files from its cache, past page.route() mocks; the offline,
    // privacy, install/update and soak specs turn it back on with test.use({ serviceWorkers: 'allow' }).
    serviceWorkers: 'block',
  },
  webServer: {
    command: 'npx vite preview --port 4173 --strictPort',
    url: 'http://localhost:4173',
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
