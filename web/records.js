// Records pages: my programs with progress, one program record (grades, share, send to a credit
// pathway) and the public record behind a shared link (no sign-in, no email).
import { act, api, date, h, me, render, statusLine } from './lib.js';

const RECORDS = '/credentials/records/api/v1/program_records/';
const PROGRAMS = '/credentials/records/programs';
const STATUS = '/credentials/api/credentials/v1/learner_program_status/';

/** The API's words, except for the rate limit, which gets its own. */
async function rateLimited(fn) {
  try {
    return await fn();
  } catch (err) {
    if (err.status === 429)
      throw Object.assign(new Error('Too many requests: wait a minute, then try again.'), { status: 429 });
    throw err;
  }
}

/** The page under /app/ that shows a shared record, from the share answer's URL (…/shared/{hex}/). */
export function publicPageUrl(apiUrl) {
  const hex = new URL(apiUrl, location.origin).pathname.split('/').filter(Boolean).pop();
  return `${location.origin}/app/records/shared/${hex}/`;
}

const courseId = (id) => (id ? id.replace(/^course-v1:/, '') : '');
const percent = (p) => (p === null || p === undefined || p === '' ? '' : `${Math.round(Number(p) * 100)}%`);
const earned = (g) => Boolean(g.issue_date);

function runLabel(run) {
  if (run.excluded) return 'excluded from this program';
  if (run.counts_toward_program) return 'counts';
  if (run.status === 'awarded' && !run.visible) return 'certificate not visible yet';
  if (run.status === 'awarded') return 'certificate does not count (mode)';
  if (run.status === 'revoked') return 'certificate revoked';
  return null;
}

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

export function recordsPage(root) {
  const { slug } = root.dataset;
  return render(root, async () => {
    const who = me();
    if (!who) throw Object.assign(new Error('You are not signed in.'), { status: 401 });
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
          progress = h('p', { class: 'status error' }, `Progress unavailable: ${err.message}`);
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

function shareArea(record, programUuid, who) {
  const out = statusLine();
  out.id = 'share-result';
  const link = h('p', { id: 'share-link' });
  const showLink = (url) => {
    const href = publicPageUrl(url);
    const copy = h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(href);
            out.className = 'status ok';
            out.textContent = 'Link copied.';
          } catch {
            out.className = 'status error';
            out.textContent = 'The browser would not copy: select the link and copy it.';
          }
        },
      },
      'Copy link',
    );
    link.replaceChildren('Public link: ', h('a', { href, id: 'public-link' }, href), ' ', copy);
    return href;
  };
  if (record.shared_program_record_uuid)
    showLink(`/credentials/records/programs/shared/${record.shared_program_record_uuid}/`);
  const button = h(
    'button',
    {
      type: 'button',
      onclick: (e) =>
        act(
          e.currentTarget,
          out,
          () =>
            rateLimited(() =>
              api(`${PROGRAMS}/${programUuid}/share`, { method: 'POST', body: { username: who.username } }),
            ),
          (r) => {
            showLink(r.url);
            return 'Anyone with this link can see this record, without your email.';
          },
        ),
    },
    'Share',
  );
  return h(
    'section',
    {},
    h('h2', {}, 'Share'),
    h('p', { class: 'muted' }, 'Create a public link to this record, for an employer or a school.'),
    button,
    out,
    link,
  );
}

function sendArea(record, programUuid, who) {
  const credit = record.pathways.filter((p) => p.pathway_type === 'credit');
  if (!credit.length) return null;
  const results = h('ul', { id: 'send-results', 'aria-live': 'polite' });
  const boxes = credit.map((p) => {
    const box = h('input', { type: 'checkbox', value: p.id, disabled: !p.is_active });
    return { p, box };
  });
  const status = statusLine();
  const submit = h('button', { type: 'submit' }, 'Send');
  const sendOne = async (p) => {
    const li = h('li', { 'data-pathway': p.id, class: 'status pending' }, `${p.name}: sending…`);
    const existing = results.querySelector(`[data-pathway="${p.id}"]`);
    if (existing) existing.replaceWith(li);
    else results.append(li);
    try {
      await rateLimited(() =>
        api(`${PROGRAMS}/${programUuid}/send`, {
          method: 'POST',
          body: { username: who.username, pathway_id: p.id },
        }),
      );
      li.className = 'status ok';
      li.textContent = `Sent to ${p.name}.`;
      return true;
    } catch (err) {
      li.className = 'status error';
      li.replaceChildren(
        `Not sent to ${p.name}: ${err.message} `,
        h('button', { type: 'button', onclick: () => sendOne(p) }, `Try again: ${p.name}`),
      );
      return false;
    }
  };
  const form = h(
    'form',
    {
      id: 'send-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const chosen = boxes.filter(({ box }) => box.checked).map(({ p }) => p);
        if (!chosen.length) {
          status.className = 'status error';
          status.textContent = 'Pick at least one pathway.';
          return;
        }
        submit.disabled = true;
        status.className = 'status pending';
        status.textContent = 'Sending…';
        const ok = await Promise.all(chosen.map(sendOne));
        submit.disabled = false;
        const sent = ok.filter(Boolean).length;
        status.className = sent === ok.length ? 'status ok' : 'status error';
        status.textContent = `Sent to ${sent} of ${ok.length} pathway(s).`;
      },
    },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Credit pathways'),
      boxes.map(({ p, box }) =>
        h(
          'label',
          { class: 'check' },
          box,
          ` ${p.name}`,
          p.status === 'sent' ? h('span', { class: 'muted' }, ' (sent before)') : '',
          p.is_active ? '' : h('span', { class: 'muted' }, ' (not accepting requests)'),
        ),
      ),
    ),
    submit,
    status,
    results,
  );
  return h(
    'section',
    {},
    h('h2', {}, 'Send to a credit pathway'),
    h('p', { class: 'muted' }, 'The school receives an email with a link to your record.'),
    form,
  );
}

export function recordPage(root) {
  const { slug, program } = root.dataset;
  return render(root, async () => {
    const who = me();
    if (!who) throw Object.assign(new Error('You are not signed in.'), { status: 401 });
    const { record } = await api(`${RECORDS}${program}/`, { query: { is_public: 'false' } });
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

export function publicRecordPage(root) {
  const { shared } = root.dataset;
  return render(root, async () => {
    const { record } = await api(`${RECORDS}${shared}/`, { query: { is_public: 'true' } });
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
