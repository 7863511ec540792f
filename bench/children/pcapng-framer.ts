import { Diagnostics } from '../../analysis/events/diagnostics';
import { framePcapng } from '../../analysis/ingest/capture/pcapng';
import { fileChunks } from '../../services/io/file-source';
import { report } from './report';

/** (e) Our pcapng framer alone on the pcapng twin of the file: frames counted, nothing decoded. */
const file = process.argv[2];
let packets = 0;
let bytes = 0;
const diag = new Diagnostics();
await framePcapng(fileChunks(file), { file, diag }, (f) => { packets++; bytes += f.end - f.start; });
report({ packets, capturedBytes: bytes, weirds: diag.weirds.length });
