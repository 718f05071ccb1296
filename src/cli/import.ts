import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../context.js';
import { type CatalogImportReport, importCatalog, parseCatalogDump } from '../modules/catalog/index.js';
import type { CliIo } from './io.js';
import { progressReporter } from './progress.js';

/** The sample dump that `campus seed --demo` loads (written by scripts/make-sample-catalog.ts). */
export const SAMPLE_CATALOG = path.resolve(import.meta.dirname, '../../data/catalog-sample.json');

/** The file cannot be read or is not a catalog dump at all: nothing was imported (exit code 2). */
export class DumpFileError extends Error {}

/** Reads and checks the envelope of a dump before any database is opened. */
export async function readCatalogDump(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DumpFileError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let dump: unknown;
  try {
    dump = JSON.parse(text);
  } catch (err) {
    throw new DumpFileError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const envelope = parseCatalogDump(dump);
  if (!envelope.ok) throw new DumpFileError(`${file} is not a catalog dump: ${envelope.reason}`);
  return dump;
}

function formatReport(report: CatalogImportReport): string[] {
  const line = (label: string, c: { created: number; updated: number; unchanged: number }) =>
    `${label.padEnd(14)} ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;
  const lines = [
    line('organizations', report.organizations),
    line('courses', report.courses),
    line('course runs', report.runs),
    line('programs', report.programs),
  ];
  if (report.rejected.length === 0) {
    lines.push('rejected       none');
  } else {
    lines.push(`rejected       ${report.rejected.length}`);
    for (const r of report.rejected) lines.push(`  ${r.kind} ${r.key}: ${r.reason}`);
  }
  return lines;
}

/**
 * `campus import catalog FILE`: imports a read dump with progress on stderr (a bar on a terminal),
 * prints the summary and every rejected record. The caller turns rejections into exit code 1.
 */
export async function importCatalogCommand(
  ctx: AppContext,
  dump: unknown,
  io: CliIo,
): Promise<CatalogImportReport> {
  const progress = progressReporter('importing catalog', io);
  const started = performance.now();
  let report: CatalogImportReport;
  try {
    report = await importCatalog(ctx, dump, (done, total) => progress.update(done, total));
  } finally {
    progress.stop();
  }
  for (const line of formatReport(report)) io.out(line);
  io.out(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return report;
}
