import { accessBenchmark } from './access.bench.js';
import { assignmentsBenchmark } from './assignments.bench.js';
import type { Benchmark, Figure } from './harness.js';
import { httpBenchmark } from './http.bench.js';
import { ledgerBenchmark } from './ledger.bench.js';
import { requestsBenchmark } from './requests.bench.js';

/**
 * `npm run bench [-- name ...]`: runs the benchmarks and prints each figure beside a baseline
 * measured in the same run, on the same machine. Speed goals live here, never in timed tests.
 */
const benchmarks: Benchmark[] = [
  httpBenchmark,
  ledgerBenchmark,
  accessBenchmark,
  assignmentsBenchmark,
  requestsBenchmark,
];

const fmt = (f: Figure) => `${f.value >= 100 ? Math.round(f.value) : f.value.toFixed(2)} ${f.unit}`;

const wanted = process.argv.slice(2);
const selected = wanted.length ? benchmarks.filter((b) => wanted.includes(b.name)) : benchmarks;
if (selected.length === 0) {
  console.error(`Unknown benchmark. Available: ${benchmarks.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

for (const [i, bench] of selected.entries()) {
  console.log(`[${i + 1}/${selected.length}] ${bench.name}: ${bench.description}`);
  const results = await bench.run((line) => console.log(line));
  for (const r of results) {
    console.log(`\n  ${r.label}`);
    console.log(`  ${'measure'.padEnd(34)} ${'Campus'.padStart(14)}   ${'baseline'.padStart(14)}`);
    r.subject.forEach((s, j) => {
      const b = r.baseline[j];
      console.log(
        `  ${s.name.padEnd(34)} ${fmt(s).padStart(14)}   ${(b ? fmt(b) : '-').padStart(14)}  (${b?.name ?? ''})`,
      );
    });
  }
  console.log('');
}
