/**
 * Tests that need native TensorFlow (@tensorflow/tfjs-node built by `npm run setup:tfjs-node`). CI builds it first,
 * so there a missing binding is a failure; elsewhere the tests skip and say how to build it. Never a silent pass.
 */
import { describe, test } from 'vitest';
import { selectBackend } from '../backend/select.ts';

/** Set by .ci/run after it builds tfjs-node; `CI` (set by most CI services) means the same. */
export const REQUIRE_TFJS_NODE_ENV = 'CIRCUMPLEX_REQUIRE_TFJS_NODE';

export function tfjsNodeRequired(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') || env[REQUIRE_TFJS_NODE_ENV] === '1';
}

/** '' when tfjs-node loads (it is then the active backend), else why it does not. */
export async function tfjsNodeUnavailable(): Promise<string> {
  return selectBackend('tfjs-node', { log: () => undefined }).then(
    () => '',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

/**
 * describe() when tfjs-node loads; when it does not, one failing test where it is required, or a skipped suite and
 * a warning that names the command that builds it.
 */
export function describeWithTfjsNode(title: string, unavailable: string, body: () => void): void {
  if (unavailable === '') {
    describe(title, body);
  } else if (tfjsNodeRequired()) {
    describe(title, () => {
      test('tfjs-node is built (CI runs npm run setup:tfjs-node before the tests)', () => {
        throw new Error(`tfjs-node is required here but does not load: ${unavailable}`);
      });
    });
  } else {
    console.warn(`${title}: skipped, tfjs-node does not load (${unavailable}); build it with \`npm run setup:tfjs-node\``);
    describe.skip(title, body);
  }
}
