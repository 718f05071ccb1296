// Records pages: not built yet (issue 10, slice 4 "Records"); the API is /credentials/records/api/v1/.
import { h } from './lib.js';

const notYet = (root) =>
  root.replaceChildren(
    h(
      'p',
      {},
      'Program records pages are not built yet. The API serves them at /credentials/records/api/v1/program_records/.',
    ),
  );
export const recordsPage = notYet;
export const recordPage = notYet;
export const publicRecordPage = notYet;
