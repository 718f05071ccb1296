import { runCli } from './cli/main.js';

// `npm start [-- --demo --port N]` is `campus serve`; it keeps running unless it could not start.
const code = await runCli([process.argv[0] ?? 'node', 'campus', 'serve', ...process.argv.slice(2)]);
if (code !== 0) process.exit(code);
