// @ts-check
// One program record: the learner's own (grades, share, send to a credit pathway) and the public
// one behind a shared link (no sign-in, no email).
import { api } from '../api.js';
import { date, h, me, pageParam, render, statusError } from '../lib.js';
import { PROGRAMS, sendArea, shareArea } from './share.js';

export const RECORDS = '/credentials/records/api/v1/program_records/';
const RECORD = '/credentials/records/api/v1/program_records/{uuid}/';

/** @typedef {import('../api.js').ApiAnswer<typeof RECORD>['record']} ProgramRecord */

/** @param {string | null | undefined} id */
export const courseId = (id) => (id ? id.replace(/^course-v1:/, '') : '');
/** @param {string | number | null | undefined} p */
const percent = (p) => (p === null || p === undefined || p === '' ? '' : `${Math.round(Number(p) * 100)}%`);
/** @param {{ issue_date?: string | null }} g */
const earned = (g) => Boolean(g.issue_date);

/** @param {ProgramRecord} record */
function gradesTable(record) {
  return h(
    'table',
    { id: 'grades-table' },
    h('caption', { class: 'sr-only' }, 'Grades'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Course', 'School', 'Course id', 'Grade', 'Letter', 'Attempts', 'Earned'].map((c) =>
          h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      record.grades.map((g) =>
        h(
          'tr',
          {},
          h('td', {}, g.name),
          h('td', {}, g.school),
          h('td', {}, earned(g) ? courseId(g.course_id) : ''),
          h('td', { class: 'num' }, earned(g) ? percent(g.percent_grade) : ''),
          h('td', {}, earned(g) ? g.letter_grade || '' : ''),
          h('td', { class: 'num' }, earned(g) ? String(g.attempts) : ''),
          h('td', {}, earned(g) ? date(g.issue_date) : 'Not earned'),
        ),
      ),
    ),
  );
}

/**
 * @param {ProgramRecord} record
 * @param {{ showEmail: boolean }} options
 */
function recordHeader(record, { showEmail }) {
  const { learner, program } = record;
  return [
    h('h1', {}, `${program.name} record`),
    h(
      'p',
      {},
      h('span', { class: 'type' }, program.type_name),
      ` · ${program.school} · `,
      h(
        'span',
        { class: `badge ${program.completed ? 'active' : 'expiring'}` },
        program.completed ? 'Completed' : 'Partially completed',
      ),
      h('span', { class: 'muted' }, ` · last updated ${date(program.last_updated)}`),
    ),
    h(
      'p',
      { id: 'record-learner' },
      learner.full_name ? `${learner.full_name} (${learner.username})` : learner.username,
      showEmail && learner.email ? ` · ${learner.email}` : '',
      ` · ${record.platform_name}`,
    ),
  ];
}

/** @param {HTMLElement} root */
export function recordPage(root) {
  return render(root, async () => {
    const slug = pageParam(root, 'slug');
    const program = pageParam(root, 'program');
    const who = me();
    if (!who) throw statusError('You are not signed in.', 401);
    const { record } = await api(RECORD, { params: { uuid: program }, query: { is_public: 'false' } });
    return h(
      'section',
      {},
      h('p', {}, h('a', { href: `/app/learner/${slug}/records/` }, '← My records')),
      recordHeader(record, { showEmail: true }),
      gradesTable(record),
      shareArea(record, program, who),
      sendArea(record, program, who),
    );
  });
}

/** @param {HTMLElement} root */
export function publicRecordPage(root) {
  return render(root, async () => {
    const shared = pageParam(root, 'shared');
    const { record } = await api(RECORD, { params: { uuid: shared }, query: { is_public: 'true' } });
    return h(
      'section',
      { id: 'public-record' },
      recordHeader(record, { showEmail: false }),
      gradesTable(record),
      h(
        'p',
        {},
        h('a', { href: `${PROGRAMS}/shared/${shared}/csv`, download: '' }, 'Download the record (CSV)'),
      ),
    );
  });
}
