import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openCamera } from '../../features/camera/camera.ts';
import { createAppStore } from '../store.ts';
import { createReconnector } from './camera-connection.ts';

vi.mock('../../features/camera/camera.ts', () => ({
  openCamera: vi.fn(),
  listCameras: vi.fn(() => Promise.resolve([])),
  stopStream: vi.fn(),
}));

const open = vi.mocked(openCamera);
const stream = {} as MediaStream;

beforeEach(() => {
  vi.useFakeTimers();
  open.mockReset();
});
afterEach(() => vi.useRealTimers());

describe('createReconnector', () => {
  it('reopens the lost device after 1 s, 2 s, 4 s of backoff, counting attempts in the store, and shows the stream it gets', async () => {
    const store = createAppStore();
    const show = vi.fn(() => Promise.resolve());
    open.mockRejectedValueOnce(new Error('gone')).mockRejectedValueOnce(new Error('gone')).mockResolvedValueOnce(stream);
    createReconnector(store, show, () => false).start('cam-1');
    expect(store.getState().camera).toEqual({ status: 'reconnecting', attempt: 1 });
    await vi.advanceTimersByTimeAsync(999);
    expect(open).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(store.getState().camera).toEqual({ status: 'reconnecting', attempt: 2 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(store.getState().camera).toEqual({ status: 'reconnecting', attempt: 3 });
    await vi.advanceTimersByTimeAsync(4000);
    expect(open).toHaveBeenCalledTimes(3);
    expect(open).toHaveBeenCalledWith({ deviceId: 'cam-1' });
    expect(show).toHaveBeenCalledWith(stream);
  });

  it('cancels the pending attempt, also a later one after a failure', async () => {
    const store = createAppStore();
    open.mockRejectedValue(new Error('gone'));
    const reconnector = createReconnector(
      store,
      () => Promise.resolve(),
      () => false,
    );
    reconnector.start(undefined);
    await vi.advanceTimersByTimeAsync(1000);
    expect(open).toHaveBeenCalledTimes(1);
    reconnector.cancel();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('stops a stream that opens after the camera was stopped or another chosen', async () => {
    const store = createAppStore();
    const show = vi.fn(() => Promise.resolve());
    open.mockImplementation(() => {
      store.setState({ camera: { status: 'stopped' } });
      return Promise.resolve(stream);
    });
    createReconnector(store, show, () => false).start(undefined);
    await vi.advanceTimersByTimeAsync(1000);
    expect(show).not.toHaveBeenCalled();
  });
});
