import { createReadStream } from 'node:fs';
import * as pcapParser from 'pcap-parser';
import { report } from './report';

/** (a) pcap-parser alone: stream the file with 1 MiB reads and count packets. */
const file = process.argv[2];
let packets = 0;
let bytes = 0;
const parser = pcapParser.parse(createReadStream(file, { highWaterMark: 1 << 20 }));
parser.on('packet', (p) => { packets++; bytes += p.header.capturedLength; });
parser.on('error', (e) => { console.error(e.message); process.exitCode = 1; });
parser.on('end', () => report({ packets, capturedBytes: bytes }));
