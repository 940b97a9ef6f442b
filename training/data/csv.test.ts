import { openSync, readSync, closeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseCsvLine, readLines } from './csv.ts';
import { makeTempDir, writeText } from './fixtures.ts';

const tmp = makeTempDir('csv');
afterAll(tmp.cleanup);

describe('parseCsvLine', () => {
  test('keeps quoted commas inside one field (FER+ face boxes)', () => {
    expect(parseCsvLine('fer0000000.png,"(0, 0, 48, 48)",4,0')).toEqual(['fer0000000.png', '(0, 0, 48, 48)', '4', '0']);
  });
  test('empty fields and escaped quotes', () => {
    expect(parseCsvLine('a,,"say ""hi""",')).toEqual(['a', '', 'say "hi"', '']);
  });
});

describe('readLines', () => {
  test('offsets and lengths address each line in the file, with LF, CRLF and no final newline', async () => {
    const file = path.join(tmp.dir, 'lines.csv');
    const lines = ['héader,x', '', 'row 1,ü', 'last'];
    writeText(file, `${lines[0]}\r\n${lines[1]}\n${lines[2]}\r\n${lines[3]}`);
    const got = [];
    for await (const line of readLines(file)) got.push(line);
    expect(got.map((l) => l.text)).toEqual(lines);
    // Tiny chunks split lines, CRLF pairs and multi-byte characters across reads.
    for (const chunk of [1, 2, 3, 5]) {
      const small = [];
      for await (const line of readLines(file, chunk)) small.push(line);
      expect(small).toEqual(got);
    }
    expect(got.map((l) => l.number)).toEqual([1, 2, 3, 4]);
    const fd = openSync(file, 'r');
    for (const l of got) {
      const buf = Buffer.alloc(l.length);
      readSync(fd, buf, 0, l.length, l.offset);
      expect(buf.toString('utf8')).toBe(l.text);
    }
    closeSync(fd);
  });
});
