/** Why the camera could not be opened, as the user needs to hear it. */
export type CameraErrorKind = 'denied' | 'not-found' | 'in-use' | 'unsupported' | 'unknown';

export class CameraError extends Error {
  readonly kind: CameraErrorKind;
  constructor(kind: CameraErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CameraError';
    this.kind = kind;
  }
}

const MESSAGES: Record<CameraErrorKind, string> = {
  denied: "Camera permission was denied. Allow camera access for this site in your browser's settings, then retry.",
  'not-found': 'No camera found. Connect a camera, then retry.',
  'in-use': 'The camera is in use by another application (or could not be started). Close other apps that use it, then retry.',
  unsupported: 'This browser cannot open a camera here: camera access needs a secure page (https or localhost).',
  unknown: 'The camera could not be opened.',
};

/** Maps getUserMedia's DOMException names (Media Capture and Streams spec) to a CameraError. */
export function toCameraError(error: unknown): CameraError {
  if (error instanceof CameraError) return error;
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new CameraError('denied', MESSAGES.denied, { cause: error });
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new CameraError('not-found', MESSAGES['not-found'], { cause: error });
    case 'NotReadableError':
    case 'AbortError':
      return new CameraError('in-use', MESSAGES['in-use'], { cause: error });
    default:
      return new CameraError('unknown', `${MESSAGES.unknown}${detail}`, { cause: error });
  }
}

export function unsupportedCameraError(): CameraError {
  return new CameraError('unsupported', MESSAGES.unsupported);
}
