import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The learner's full name, from the LMS token's name claim: the admin portal names group
    -- members by it (member_details.user_name), as edx-enterprise does. Null until a token
    -- carrying it is seen.
    alter table enterprise_learners add column full_name text
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table enterprise_learners drop column full_name`.execute(db);
}
