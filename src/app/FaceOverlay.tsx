import { useAppStore } from './store-context.tsx';
import { selectFrame } from './store.ts';

/**
 * Face boxes drawn in source-frame pixels (viewBox = frame size, scaled like the video with
 * object-fit: contain). It sits inside the same mirrored stage as the video, so boxes are mirrored
 * exactly as the picture is. The analysed (largest) face is drawn solid; other faces dashed.
 */
export function FaceOverlay() {
  const frame = useAppStore(selectFrame);
  if (!frame) return null;
  return (
    <svg className="overlay" viewBox={`0 0 ${frame.width} ${frame.height}`} preserveAspectRatio="xMidYMid meet" aria-hidden="true">
      {frame.faces.map((f, i) => (
        <g key={i}>
          <rect
            data-testid="face-box"
            className={i === frame.tracked ? 'face-box tracked' : 'face-box other'}
            data-tracked={i === frame.tracked}
            x={f.x}
            y={f.y}
            width={f.width}
            height={f.height}
            data-score={f.score.toFixed(3)}
            vectorEffect="non-scaling-stroke"
          />
          {i !== frame.tracked && (
            // The stage is mirrored; the label is mirrored back so it reads normally, at the box's top-left as seen.
            <text
              className="face-label"
              data-testid="other-face-label"
              x={-(f.x + f.width)}
              y={Math.max(0, f.y - 6)}
              transform="scale(-1 1)"
            >
              other face
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}
