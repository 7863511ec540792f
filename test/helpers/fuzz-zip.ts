import { deflateRawSync } from 'node:zlib';

/**
 * A ZIP writer for the complaint fuzz tests (PKWARE APPNOTE 4.3.7 local
 * header, 4.3.12 central directory header, 4.3.16 end of central directory),
 * with the knobs real archives turn: stored or deflated, extra fields,
 * entry and archive comments, directories, entries that share data.
 */
export interface ZipInput {
  name: string;
  data: Uint8Array;
  method: 0 | 8;
  extra?: Uint8Array;
  comment?: string;
  /** Point this entry's central record at the local header of entry `sharesWith` (an overlapping entry, as zip bombs do). */
  sharesWith?: number;
}

export interface ZipOptions {
  comment?: string;
  /** Overwrite the entry count in the end record (a damaged or lying directory). */
  count?: number;
}

export function writeZip(entries: ZipInput[], opts: ZipOptions = {}): Uint8Array {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  const offsets: number[] = [];
  let at = 0;
  entries.forEach((e, i) => {
    const name = Buffer.from(e.name, 'utf8');
    const extra = Buffer.from(e.extra ?? new Uint8Array(0));
    const packed = e.method === 8 ? deflateRawSync(e.data) : Buffer.from(e.data);
    let local = at;
    if (e.sharesWith !== undefined && e.sharesWith < i) local = offsets[e.sharesWith];
    else {
      const h = Buffer.alloc(30);
      h.writeUInt32LE(0x04034b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(0x0800, 6); // UTF-8 names
      h.writeUInt16LE(e.method, 8);
      h.writeUInt32LE(0, 14); // CRC-32 is not checked by the reader under test
      h.writeUInt32LE(packed.length, 18);
      h.writeUInt32LE(e.data.length, 22);
      h.writeUInt16LE(name.length, 26);
      h.writeUInt16LE(extra.length, 28);
      chunks.push(h, name, extra, packed);
      at += 30 + name.length + extra.length + packed.length;
    }
    offsets.push(local);
    const comment = Buffer.from(e.comment ?? '', 'utf8');
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(e.method, 10);
    c.writeUInt32LE(packed.length, 20);
    c.writeUInt32LE(e.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(extra.length, 30);
    c.writeUInt16LE(comment.length, 32);
    c.writeUInt32LE(local, 42);
    central.push(c, name, extra, comment);
  });
  const cd = Buffer.concat(central);
  const comment = Buffer.from(opts.comment ?? '', 'utf8');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(0xffff, opts.count ?? entries.length), 8);
  end.writeUInt16LE(Math.min(0xffff, opts.count ?? entries.length), 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(at, 16);
  end.writeUInt16LE(comment.length, 20);
  return new Uint8Array(Buffer.concat([...chunks, cd, end, comment]));
}
