import { createReadStream } from 'node:fs';

/** One line of a text file with where its bytes are, so a row can be re-read later without keeping it. */
export interface Line {
  text: string;
  /** 1-based, for error messages. */
  number: number;
  /** Byte offset of the line's first byte in the file. */
  offset: number;
  /** Byte length without the line ending. */
  length: number;
}

/**
 * Streams a text file line by line (LF or CRLF) without reading it whole: fer2013.csv is ~290 MB and an
 * Aff-Wild2 annotation folder holds thousands of files. Empty lines are yielded too.
 */
export async function* readLines(file: string, chunkBytes = 1 << 20): AsyncGenerator<Line> {
  let carry: Buffer = Buffer.alloc(0);
  let carryOffset = 0;
  let number = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: chunkBytes })) {
    const buf: Buffer = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      const end = nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl;
      yield { text: buf.toString('utf8', start, end), number: ++number, offset: carryOffset + start, length: end - start };
      start = nl + 1;
    }
    carry = buf.subarray(start);
    carryOffset += start;
  }
  if (carry.length > 0) {
    const end = carry[carry.length - 1] === 0x0d ? carry.length - 1 : carry.length;
    yield { text: carry.toString('utf8', 0, end), number: number + 1, offset: carryOffset, length: end };
  }
}

/** Splits one CSV line (RFC 4180 quoting: `"a, b"` is one field, `""` inside quotes is a quote). */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}
