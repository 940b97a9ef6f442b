import { useAppStore } from './store-context.tsx';
import { selectDetector } from './store.ts';

/** Replaces the app when a model file is missing or corrupt: names the file and what to do. */
export function ModelErrorScreen() {
  const detector = useAppStore(selectDetector);
  if (detector.status !== 'error') return null;
  return (
    <section className="error-screen" role="alert" aria-labelledby="model-error-title">
      <h2 id="model-error-title">The face detector could not be loaded</h2>
      {detector.file && (
        <p>
          File: <code data-testid="model-error-file">{detector.file}</code>
        </p>
      )}
      <p data-testid="model-error-message">{detector.message}</p>
      <p>Reload the page. If this keeps happening, reinstall the app&apos;s files (npm install) or clear the site&apos;s data.</p>
    </section>
  );
}
