// Turns offsets in a piece of source text into file positions.
import type { Span } from '../ir.js';
import type { SourceText } from '../migration.js';

export class SourceMap {
  private readonly lineStarts: number[] = [0];
  private byteToChar: Int32Array | null = null;
  private ascii: boolean | undefined;

  constructor(readonly source: SourceText) {
    const text = source.text;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  /** libpg-query reports UTF-8 byte offsets; JS strings index UTF-16 units. */
  charOffset(byteOffset: number): number {
    // ASCII text (most SQL) maps bytes to characters one to one; decided once per source.
    this.ascii ??= isAscii(this.source.text);
    if (this.ascii) return byteOffset;
    if (!this.byteToChar) {
      const text = this.source.text;
      const map = new Int32Array(Buffer.byteLength(text) + 1);
      let byte = 0;
      for (let i = 0; i < text.length; i++) {
        const code = text.codePointAt(i) ?? 0;
        const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
        for (let b = 0; b < width; b++) map[byte + b] = i;
        byte += width;
        if (code >= 0x10000) i++;
      }
      map[byte] = text.length;
      this.byteToChar = map;
    }
    return this.byteToChar[Math.min(byteOffset, this.byteToChar.length - 1)] ?? byteOffset;
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    // The first line of an embedded source (SQL in a Python string) starts mid-line.
    const shift = lo === 0 ? (this.source.startColumn ?? 1) - 1 : 0;
    return { line: this.source.startLine + lo, column: offset - (this.lineStarts[lo] ?? 0) + 1 + shift };
  }

  span(start: number, end: number): Span {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { path: this.source.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/** One UTF-8 byte per character: every character is ASCII (a native count, faster than a loop). */
function isAscii(text: string): boolean {
  return Buffer.byteLength(text) === text.length;
}
