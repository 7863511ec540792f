import { fuzzRuns } from '../../helpers/fuzz-seed';
import { ingestFuzzSuite } from './fuzz-suite';

/**
 * Untrusted input discipline (file-type): every fixture format, mutated by
 * truncation, bit flips, absurd length fields and spliced junk, keeps the
 * records before the damage and reports the damage with its offset. A few
 * runs per fixture here; test/analysis/ingest/fuzz.slow.test.ts runs many.
 */
ingestFuzzSuite(fuzzRuns(20));
