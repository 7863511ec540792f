import { fuzzRuns } from '../../helpers/fuzz-seed';
import { ingestFuzzSuite } from './fuzz-suite';

/** The long run of the ingest fuzz properties (the unit tier runs a few per fixture). */
ingestFuzzSuite(fuzzRuns(400));
