/** Writes public/icons/* (see app-icons.ts): `npm run icons`. The output is committed. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ICON_FILES, iconSvg, renderIconPng } from './app-icons.ts';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public/icons');
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'icon.svg'), iconSvg());
for (const { file, size, maskable } of ICON_FILES) writeFileSync(path.join(dir, file), renderIconPng(size, maskable));
console.log(`make-icons: icon.svg and ${ICON_FILES.length} PNGs -> ${path.relative(process.cwd(), dir)}`);
