/**
 * Opening and closing the camera. Every failure is a CameraError with a kind the UI can act on.
 */
import { toCameraError, unsupportedCameraError } from './camera-error.ts';

export interface CameraRequest {
  /** A device from listCameras(); the browser's default camera when absent. */
  readonly deviceId?: string;
  /** Preferred capture size; the camera may deliver another. */
  readonly idealWidth?: number;
  readonly idealHeight?: number;
}

export interface CameraDevice {
  readonly deviceId: string;
  readonly label: string;
}

export async function openCamera(request: CameraRequest = {}): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw unsupportedCameraError();
  const video: MediaTrackConstraints = {
    width: { ideal: request.idealWidth ?? 640 },
    height: { ideal: request.idealHeight ?? 480 },
    ...(request.deviceId ? { deviceId: { exact: request.deviceId } } : { facingMode: 'user' }),
  };
  try {
    return await navigator.mediaDevices.getUserMedia({ video, audio: false });
  } catch (e) {
    throw toCameraError(e);
  }
}

/** Video inputs; labels are empty until the user has granted camera access once. */
export async function listCameras(): Promise<CameraDevice[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'videoinput').map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}

export function stopStream(stream: MediaStream | undefined): void {
  stream?.getTracks().forEach((t) => t.stop());
}
