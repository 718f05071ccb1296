import { type Kysely, sql } from 'kysely';

/**
 * The default rows of course-discovery after its migrations
 * (docs/decisions/0010-course-type-catalogue.md), with fixed uuids so that every Campus
 * installation names the seeded types alike:
 * tracks 5eed0000-…-0000000001NN, run types …02NN, course types …03NN, program types …04NN.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into catalog_seat_types (slug, name, created, modified) values
      ('audit', 'Audit', now(), now()),
      ('verified', 'Verified', now(), now()),
      ('professional', 'Professional', now(), now()),
      ('credit', 'Credit', now(), now()),
      ('honor', 'Honor', now(), now());

    insert into catalog_modes
      (slug, name, is_id_verified, is_credit_eligible, certificate_type, payee, created, modified) values
      ('audit', 'Audit', false, false, null, null, now(), now()),
      ('verified', 'Verified', true, false, 'verified', 'platform', now(), now()),
      ('professional', 'Professional Certificate', true, false, 'professional', 'platform', now(), now()),
      ('credit', 'Credit', false, true, 'credit', 'platform', now(), now()),
      ('honor', 'Honor', false, false, 'honor', null, now(), now());

    insert into catalog_tracks (uuid, mode, seat_type, created, modified) values
      ('5eed0000-0000-4000-8000-000000000101', 'audit', 'audit', now(), now()),
      ('5eed0000-0000-4000-8000-000000000102', 'verified', 'verified', now(), now()),
      ('5eed0000-0000-4000-8000-000000000103', 'professional', 'professional', now(), now()),
      ('5eed0000-0000-4000-8000-000000000104', 'credit', 'credit', now(), now()),
      ('5eed0000-0000-4000-8000-000000000105', 'honor', 'honor', now(), now());

    insert into catalog_run_types (uuid, name, slug, is_marketable, created, modified) values
      ('5eed0000-0000-4000-8000-000000000201', 'Audit Only', 'audit', true, now(), now()),
      ('5eed0000-0000-4000-8000-000000000202', 'Professional Only', 'professional', true, now(), now()),
      ('5eed0000-0000-4000-8000-000000000203', 'Verified and Audit', 'verified-audit', true, now(), now()),
      ('5eed0000-0000-4000-8000-000000000204', 'Credit', 'credit-verified-audit', true, now(), now()),
      ('5eed0000-0000-4000-8000-000000000205', 'Honor Only', 'honor', true, now(), now()),
      ('5eed0000-0000-4000-8000-000000000206', 'Verified and Honor', 'verified-honor', true, now(), now()),
      ('5eed0000-0000-4000-8000-000000000207', 'Credit with Honor', 'credit-verified-honor', true, now(), now()),
      ('5eed0000-0000-4000-8000-000000000208', 'Verified Only', 'verified', true, now(), now()),
      ('5eed0000-0000-4000-8000-000000000209', 'Empty', 'empty', false, now(), now());

    insert into catalog_run_type_tracks (run_type_uuid, track_uuid) values
      ('5eed0000-0000-4000-8000-000000000201', '5eed0000-0000-4000-8000-000000000101'),
      ('5eed0000-0000-4000-8000-000000000202', '5eed0000-0000-4000-8000-000000000103'),
      ('5eed0000-0000-4000-8000-000000000203', '5eed0000-0000-4000-8000-000000000101'),
      ('5eed0000-0000-4000-8000-000000000203', '5eed0000-0000-4000-8000-000000000102'),
      ('5eed0000-0000-4000-8000-000000000204', '5eed0000-0000-4000-8000-000000000101'),
      ('5eed0000-0000-4000-8000-000000000204', '5eed0000-0000-4000-8000-000000000102'),
      ('5eed0000-0000-4000-8000-000000000204', '5eed0000-0000-4000-8000-000000000104'),
      ('5eed0000-0000-4000-8000-000000000205', '5eed0000-0000-4000-8000-000000000105'),
      ('5eed0000-0000-4000-8000-000000000206', '5eed0000-0000-4000-8000-000000000105'),
      ('5eed0000-0000-4000-8000-000000000206', '5eed0000-0000-4000-8000-000000000102'),
      ('5eed0000-0000-4000-8000-000000000207', '5eed0000-0000-4000-8000-000000000104'),
      ('5eed0000-0000-4000-8000-000000000207', '5eed0000-0000-4000-8000-000000000105'),
      ('5eed0000-0000-4000-8000-000000000207', '5eed0000-0000-4000-8000-000000000102'),
      ('5eed0000-0000-4000-8000-000000000208', '5eed0000-0000-4000-8000-000000000102');

    insert into catalog_course_types (uuid, name, slug, created, modified) values
      ('5eed0000-0000-4000-8000-000000000301', 'Audit Only', 'audit', now(), now()),
      ('5eed0000-0000-4000-8000-000000000302', 'Professional Only', 'professional', now(), now()),
      ('5eed0000-0000-4000-8000-000000000303', 'Verified and Audit', 'verified-audit', now(), now()),
      ('5eed0000-0000-4000-8000-000000000304', 'Credit', 'credit-verified-audit', now(), now()),
      ('5eed0000-0000-4000-8000-000000000305', 'Honor Only', 'honor', now(), now()),
      ('5eed0000-0000-4000-8000-000000000306', 'Verified and Honor', 'verified-honor', now(), now()),
      ('5eed0000-0000-4000-8000-000000000307', 'Credit with Honor', 'credit-verified-honor', now(), now()),
      ('5eed0000-0000-4000-8000-000000000308', 'Verified Only', 'verified', now(), now()),
      ('5eed0000-0000-4000-8000-000000000309', 'Empty', 'empty', now(), now());

    insert into catalog_course_type_entitlement_types (course_type_uuid, seat_type) values
      ('5eed0000-0000-4000-8000-000000000302', 'professional'),
      ('5eed0000-0000-4000-8000-000000000303', 'verified'),
      ('5eed0000-0000-4000-8000-000000000304', 'verified'),
      ('5eed0000-0000-4000-8000-000000000306', 'verified'),
      ('5eed0000-0000-4000-8000-000000000307', 'verified'),
      ('5eed0000-0000-4000-8000-000000000308', 'verified');

    insert into catalog_course_type_run_types (course_type_uuid, run_type_uuid, position) values
      ('5eed0000-0000-4000-8000-000000000301', '5eed0000-0000-4000-8000-000000000201', 0),
      ('5eed0000-0000-4000-8000-000000000302', '5eed0000-0000-4000-8000-000000000202', 0),
      ('5eed0000-0000-4000-8000-000000000303', '5eed0000-0000-4000-8000-000000000201', 0),
      ('5eed0000-0000-4000-8000-000000000303', '5eed0000-0000-4000-8000-000000000203', 1),
      ('5eed0000-0000-4000-8000-000000000304', '5eed0000-0000-4000-8000-000000000201', 0),
      ('5eed0000-0000-4000-8000-000000000304', '5eed0000-0000-4000-8000-000000000204', 1),
      ('5eed0000-0000-4000-8000-000000000304', '5eed0000-0000-4000-8000-000000000203', 2),
      ('5eed0000-0000-4000-8000-000000000305', '5eed0000-0000-4000-8000-000000000205', 0),
      ('5eed0000-0000-4000-8000-000000000306', '5eed0000-0000-4000-8000-000000000205', 0),
      ('5eed0000-0000-4000-8000-000000000306', '5eed0000-0000-4000-8000-000000000206', 1),
      ('5eed0000-0000-4000-8000-000000000307', '5eed0000-0000-4000-8000-000000000205', 0),
      ('5eed0000-0000-4000-8000-000000000307', '5eed0000-0000-4000-8000-000000000206', 1),
      ('5eed0000-0000-4000-8000-000000000307', '5eed0000-0000-4000-8000-000000000207', 2),
      ('5eed0000-0000-4000-8000-000000000308', '5eed0000-0000-4000-8000-000000000208', 0);

    insert into catalog_program_types (uuid, name, slug, coaching_supported, created, modified) values
      ('5eed0000-0000-4000-8000-000000000401', 'XSeries', 'xseries', false, now(), now()),
      ('5eed0000-0000-4000-8000-000000000402', 'MicroMasters', 'micromasters', false, now(), now()),
      ('5eed0000-0000-4000-8000-000000000403', 'Professional Certificate', 'professional-certificate', false, now(), now()),
      ('5eed0000-0000-4000-8000-000000000404', 'Masters', 'masters', false, now(), now()),
      ('5eed0000-0000-4000-8000-000000000405', 'MicroBachelors', 'microbachelors', false, now(), now());

    insert into catalog_program_type_seat_types (program_type_uuid, seat_type) values
      ('5eed0000-0000-4000-8000-000000000401', 'credit'),
      ('5eed0000-0000-4000-8000-000000000401', 'professional'),
      ('5eed0000-0000-4000-8000-000000000401', 'verified'),
      ('5eed0000-0000-4000-8000-000000000402', 'credit'),
      ('5eed0000-0000-4000-8000-000000000402', 'professional'),
      ('5eed0000-0000-4000-8000-000000000402', 'verified'),
      ('5eed0000-0000-4000-8000-000000000403', 'credit'),
      ('5eed0000-0000-4000-8000-000000000403', 'professional'),
      ('5eed0000-0000-4000-8000-000000000403', 'verified'),
      ('5eed0000-0000-4000-8000-000000000404', 'credit'),
      ('5eed0000-0000-4000-8000-000000000404', 'verified'),
      ('5eed0000-0000-4000-8000-000000000405', 'verified');
  `.execute(db);
}
