/**
 * Crash-test child: attaches one evidence file to case 1 of a store
 * (CaseStore.attachEvidence) and prints "attached <id>". Run with
 * ABUSE_DESK_TEST_PAUSE_IN_COMMIT=attach to stop inside the transaction,
 * after the file is copied into the vault and before COMMIT.
 * Usage: node --import tsx attach-once.ts DATA_DIR FILE
 */
import { CaseStore } from '../../../store/case-store';

const [dataDir, file] = process.argv.slice(2);
const store = await CaseStore.open(dataDir);
const e = await store.attachEvidence(1, file);
process.stdout.write(`attached ${e.id}\n`);
await store.close();
