import { sql } from 'kysely';
import type { Executor } from '../../database.js';
import { inList } from '../../db/in-list.js';
import { type Paged, type PageWindow, paged } from '../../db/paged.js';
import type {
  AttributeRow,
  CertConfigRow,
  CertificateType,
  CredentialStatus,
  CredentialType,
  UserCredentialRow,
} from './schema.js';

/** A course-run credential with its certificate config's available date. */
export type CourseCredentialRow = UserCredentialRow & {
  certificate_type: CertificateType | null;
  certificate_available_date: Date | null;
};

export async function getConfig(db: Executor, runKey: string): Promise<CertConfigRow | undefined> {
  return db
    .selectFrom('course_certificate_configs')
    .selectAll()
    .where('course_run_key', '=', runKey)
    .executeTakeFirst();
}

export async function getConfigsByRunKeys(db: Executor, runKeys: string[]): Promise<CertConfigRow[]> {
  if (runKeys.length === 0) return [];
  return db
    .selectFrom('course_certificate_configs')
    .selectAll()
    .where('course_run_key', 'in', runKeys)
    .execute();
}

/** Inserts the config unless the run has one (a concurrent request); returns the run's config either way. */
export async function insertConfig(
  db: Executor,
  row: {
    uuid: string;
    course_run_key: string;
    certificate_type: CertificateType;
    certificate_available_date: Date | null;
    is_active: boolean;
    now: Date;
  },
): Promise<CertConfigRow> {
  const { now, ...values } = row;
  const inserted = await db
    .insertInto('course_certificate_configs')
    .values({ ...values, created: now, modified: now })
    .onConflict((oc) => oc.column('course_run_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? (await getConfig(db, row.course_run_key))!;
}

export async function updateConfig(
  db: Executor,
  uuid: string,
  patch: {
    certificate_type?: CertificateType;
    certificate_available_date?: Date | null;
    is_active?: boolean;
  },
  now: Date,
): Promise<CertConfigRow> {
  return db
    .updateTable('course_certificate_configs')
    .set({ ...patch, modified: now })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getByUuid(db: Executor, uuid: string): Promise<UserCredentialRow | undefined> {
  return db.selectFrom('user_credentials').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

export async function getCourseCredential(
  db: Executor,
  learnerUuid: string,
  runKey: string,
): Promise<UserCredentialRow | undefined> {
  return db
    .selectFrom('user_credentials')
    .selectAll()
    .where('learner_uuid', '=', learnerUuid)
    .where('course_run_key', '=', runKey)
    .executeTakeFirst();
}

export async function getProgramCredential(
  db: Executor,
  learnerUuid: string,
  programUuid: string,
): Promise<UserCredentialRow | undefined> {
  return db
    .selectFrom('user_credentials')
    .selectAll()
    .where('learner_uuid', '=', learnerUuid)
    .where('program_uuid', '=', programUuid)
    .executeTakeFirst();
}

export async function insert(
  db: Executor,
  row: {
    uuid: string;
    learner_uuid: string;
    credential_type: CredentialType;
    course_run_key: string | null;
    mode: string | null;
    program_uuid: string | null;
    status: CredentialStatus;
    date_override: Date | null;
    now: Date;
  },
): Promise<UserCredentialRow> {
  const { now, ...values } = row;
  return db
    .insertInto('user_credentials')
    .values({ ...values, awarded_at: now, created: now, modified: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function update(
  db: Executor,
  uuid: string,
  patch: { status?: CredentialStatus; mode?: string; date_override?: Date | null; awarded_at?: Date },
  now: Date,
): Promise<UserCredentialRow> {
  return db
    .updateTable('user_credentials')
    .set({ ...patch, modified: now })
    .where('uuid', '=', uuid)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Every course-run credential of a learner (any status), with its config's available date. */
export async function courseCredentialsOf(db: Executor, learnerUuid: string): Promise<CourseCredentialRow[]> {
  return db
    .selectFrom('user_credentials as uc')
    .leftJoin('course_certificate_configs as cc', 'cc.course_run_key', 'uc.course_run_key')
    .selectAll('uc')
    .select(['cc.certificate_type', 'cc.certificate_available_date'])
    .where('uc.learner_uuid', '=', learnerUuid)
    .where('uc.credential_type', '=', 'course-run')
    .orderBy('uc.created')
    .execute();
}

/** Every program credential of a learner (any status). */
export async function programCredentialsOf(db: Executor, learnerUuid: string): Promise<UserCredentialRow[]> {
  return db
    .selectFrom('user_credentials')
    .selectAll()
    .where('learner_uuid', '=', learnerUuid)
    .where('credential_type', '=', 'program')
    .execute();
}

export interface CredentialFilter {
  learnerUuid?: string;
  status?: CredentialStatus;
  type?: CredentialType;
  /** The program's credential and course credentials on these runs. */
  program?: { uuid: string; runKeys: string[] };
  /** Only credentials visible at this time (course: config date passed; program: visible_date passed). */
  visibleAt?: Date;
}

function filtered(db: Executor, f: CredentialFilter) {
  let q = db.selectFrom('user_credentials');
  if (f.learnerUuid) q = q.where('learner_uuid', '=', f.learnerUuid);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.type) q = q.where('credential_type', '=', f.type);
  if (f.program) {
    const p = f.program;
    q = q.where((eb) => eb.or([eb('program_uuid', '=', p.uuid), inList(eb, 'course_run_key', p.runKeys)]));
  }
  if (f.visibleAt) {
    const at = f.visibleAt;
    q = q.where((eb) =>
      eb.not(
        eb.or([
          eb.exists(
            eb
              .selectFrom('course_certificate_configs as cc')
              .select('cc.uuid')
              .whereRef('cc.course_run_key', '=', 'user_credentials.course_run_key')
              .where('cc.certificate_available_date', '>', at),
          ),
          eb.exists(
            eb
              .selectFrom('user_credential_attributes as a')
              .select('a.name')
              .whereRef('a.user_credential_uuid', '=', 'user_credentials.uuid')
              .where('a.name', '=', 'visible_date')
              .where(sql<Date>`a.value::timestamptz`, '>', at),
          ),
        ]),
      ),
    );
  }
  return q;
}

/** A page of the filtered credentials, oldest first, and their number. */
export async function list(
  db: Executor,
  f: CredentialFilter,
  window: PageWindow,
): Promise<Paged<UserCredentialRow>> {
  return paged(db, filtered(db, f), (q) => q.selectAll().orderBy('created').orderBy('uuid'), window);
}

export async function listAll(db: Executor, f: CredentialFilter): Promise<UserCredentialRow[]> {
  return filtered(db, f).selectAll().orderBy('created').orderBy('uuid').execute();
}

export async function attributesOf(db: Executor, credentialUuids: string[]): Promise<AttributeRow[]> {
  if (credentialUuids.length === 0) return [];
  return db
    .selectFrom('user_credential_attributes')
    .selectAll()
    .where('user_credential_uuid', 'in', credentialUuids)
    .orderBy('created')
    .orderBy('name')
    .execute();
}

/** Sets one attribute (insert or update by name); attributes not mentioned are kept. */
export async function upsertAttribute(
  db: Executor,
  row: { user_credential_uuid: string; name: string; value: string; now: Date },
): Promise<void> {
  await db
    .insertInto('user_credential_attributes')
    .values({
      user_credential_uuid: row.user_credential_uuid,
      name: row.name,
      value: row.value,
      created: row.now,
      modified: row.now,
    })
    .onConflict((oc) =>
      oc.columns(['user_credential_uuid', 'name']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        modified: eb.ref('excluded.modified'),
      })),
    )
    .execute();
}
