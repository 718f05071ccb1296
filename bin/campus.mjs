#!/usr/bin/env node
// The `campus` command: runs the TypeScript CLI through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
const code = await runCli(process.argv);
if (process.argv[2] !== 'serve' || code !== 0) process.exit(code);
