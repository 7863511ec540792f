#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx, so the command
// always matches the checked-out code with no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
