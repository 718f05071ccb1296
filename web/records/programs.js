// @ts-check
// My records: the learner's programs, each with its progress course by course.
import { api } from '../api.js';
import { date, errorMessage, h, me, pageParam, render, statusError } from '../lib.js';
import { courseId, RECORDS } from './record.js';

const STATUS = '/credentials/api/credentials/v1/learner_program_status/';

/** @typedef {import('../api.js').ApiAnswer<typeof STATUS, 'POST'>} ProgramStatus */

/** @param {ProgramStatus['courses'][number]['runs'][number]} run */
function runLabel(run) {
  if (run.excluded) return 'excluded from this program';
  if (run.counts_toward_program) return 'counts';
  if (run.status === 'awarded' && !run.visible) return 'certificate not visible yet';
  if (run.status === 'awarded') return 'certificate does not count (mode)';
  if (run.status === 'revoked') return 'certificate revoked';
  return null;
}

/** @param {ProgramStatus} status */
function progressList(status) {
  return h(
    'ul',
    { class: 'courses' },
    status.courses.map((c) => {
      const runs = c.runs
        .map((r) => ({ r, label: runLabel(r) }))
        .filter(({ r, label }) => label || r.excluded);
      return h(
        'li',
        { 'data-course': c.course_key },
        h('strong', {}, c.title),
        ' — ',
        c.complete
          ? h('span', { class: 'badge active' }, 'Complete')
          : h('span', { class: 'badge' }, 'Not yet'),
        runs.length
          ? h(
              'ul',
              { class: 'runs' },
              runs.map(({ r, label }) =>
                h(
                  'li',
                  { 'data-run': r.key, 'data-counts': String(r.counts_toward_program) },
                  h('code', {}, courseId(r.key)),
                  `: ${label}`,
                ),
              ),
            )
          : null,
      );
    }),
  );
}

/** @param {HTMLElement} root */
export function recordsPage(root) {
  return render(root, async () => {
    const slug = pageParam(root, 'slug');
    const who = me();
    if (!who) throw statusError('You are not signed in.', 401);
    const { enrolled_programs: programs } = await api(RECORDS);
    const cards = await Promise.all(
      programs.map(async (p) => {
        let progress;
        try {
          const status = await api(STATUS, {
            method: 'POST',
            body: { username: who.username, program_uuid: p.uuid },
          });
          progress = [
            h(
              'p',
              { class: 'progress' },
              `${status.completed_courses} of ${status.total_courses} courses complete`,
            ),
            progressList(status),
          ];
        } catch (err) {
          progress = h('p', { class: 'status error' }, `Progress unavailable: ${errorMessage(err)}`);
        }
        return h(
          'li',
          { class: 'card program', 'data-program': p.uuid },
          h('h2', {}, h('a', { href: `/app/learner/${slug}/records/${p.uuid}/` }, p.name)),
          h(
            'p',
            {},
            h('span', { class: 'type' }, p.type_name),
            ' · ',
            p.partner,
            ' ',
            h(
              'span',
              { class: `badge ${p.completed ? 'active' : 'expiring'}` },
              p.completed ? 'Completed' : 'Partially completed',
            ),
          ),
          progress,
          h('p', { class: 'muted' }, `Last updated ${date(p.last_updated)}`),
        );
      }),
    );
    return h(
      'section',
      {},
      h('h1', {}, 'My learner records'),
      cards.length
        ? h('ul', { class: 'cards wide', id: 'my-programs' }, cards)
        : h(
            'p',
            {},
            'You have no program records yet: they appear once you earn a certificate in a program.',
          ),
    );
  });
}
