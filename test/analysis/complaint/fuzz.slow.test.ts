import { fuzzRuns } from '../../helpers/fuzz-seed';
import { complaintFuzzSuite } from './fuzz-suite';

/** The long run of the complaint fuzz properties (the unit tier runs a few). */
complaintFuzzSuite(fuzzRuns(2000));
