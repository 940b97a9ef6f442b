/**
 * Personal calibration profiles in IndexedDB (database "circumplex-profiles", store "profiles" keyed by id).
 * They never leave the device: nothing here, or anywhere in the app, sends them anywhere.
 */
import { done, request } from '../storage/idb.ts';
import type { Profile } from './profile.ts';

const DB_NAME = 'circumplex-profiles';
const DB_VERSION = 1;

export interface ProfileDb {
  /** Newest first. */
  list(): Promise<Profile[]>;
  save(profile: Profile): Promise<void>;
  rename(id: string, name: string): Promise<Profile>;
  remove(id: string): Promise<void>;
  close(): void;
}

export async function openProfileDb(factory: IDBFactory = indexedDB): Promise<ProfileDb> {
  const open = factory.open(DB_NAME, DB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains('profiles')) db.createObjectStore('profiles', { keyPath: 'id' });
  };
  const db = await request(open);
  return {
    async list() {
      const tx = db.transaction('profiles', 'readonly');
      const all = (await request(tx.objectStore('profiles').getAll())) as Profile[];
      return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    async save(profile) {
      const tx = db.transaction('profiles', 'readwrite');
      tx.objectStore('profiles').put(profile);
      await done(tx);
    },
    async rename(id, name) {
      const tx = db.transaction('profiles', 'readwrite');
      const profiles = tx.objectStore('profiles');
      const found = (await request(profiles.get(id))) as Profile | undefined;
      if (!found) throw new Error(`profile ${id} is not stored in this browser`);
      const renamed = { ...found, name };
      profiles.put(renamed);
      await done(tx);
      return renamed;
    },
    async remove(id) {
      const tx = db.transaction('profiles', 'readwrite');
      tx.objectStore('profiles').delete(id);
      await done(tx);
    },
    close() {
      db.close();
    },
  };
}
