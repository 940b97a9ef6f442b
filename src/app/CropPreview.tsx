import { useEffect, useRef } from 'react';
import { useAppStoreApi } from './store-context.tsx';

/**
 * The model's actual input (the gray face crop), painted straight from the store into a canvas by a
 * subscription: no React render per frame.
 */
export function CropPreview() {
  const store = useAppStoreApi();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const paint = (): void => {
      const a = store.getState().frame?.analysis;
      const canvas = canvasRef.current;
      const ctx = canvas?.getContext('2d');
      if (!a || !canvas || !ctx) return;
      if (canvas.width !== a.cropSize) {
        canvas.width = a.cropSize;
        canvas.height = a.cropSize;
      }
      const img = ctx.createImageData(a.cropSize, a.cropSize);
      for (let i = 0; i < a.crop.length; i++) {
        const v = a.crop[i] ?? 0;
        img.data[i * 4] = v;
        img.data[i * 4 + 1] = v;
        img.data[i * 4 + 2] = v;
        img.data[i * 4 + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
    };
    return store.subscribe((s, prev) => {
      if (s.frame !== prev.frame) paint();
    });
  }, [store]);
  return (
    <details className="panel debug">
      <summary>Model input</summary>
      <canvas
        ref={canvasRef}
        className="crop"
        data-testid="crop-preview"
        width={48}
        height={48}
        role="img"
        aria-label="The face crop the model sees"
      />
    </details>
  );
}
