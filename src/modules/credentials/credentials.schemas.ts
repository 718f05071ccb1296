import { z } from 'zod';
import { errorSchema } from '../../http/error.schemas.js';
import { paginationQuery } from '../../http/pagination.js';
import { canonicalUuid } from '../../shared/principal.js';

const UUID_ANY = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A uuid given hyphenated or as 32 hex digits (the records pages use hex), made canonical. */
export const anyUuid = z.string().regex(UUID_ANY, 'must be a uuid').transform(canonicalUuid);
export const uuidParams = z.object({ uuid: anyUuid });
export const courseIdParams = z.object({ course_id: z.string().min(1).max(255) });

const queryBool = z
  .enum(['1', '0', 'true', 'false', 'True', 'False'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === '1' || v.toLowerCase() === 'true'));
const dateTime = z.iso.datetime({ offset: true });
const username = z.string().trim().min(1).max(150);
const lmsUserId = z.number().int().positive();

export const certificateType = z.enum([
  'honor',
  'verified',
  'professional',
  'no-id-professional',
  'masters',
  'audit',
  'credit',
  'executive-education',
]);
export const credentialStatus = z.enum(['awarded', 'revoked']);

// ---- credentials ----

const programCredentialIn = z
  .object({ type: z.literal('program').optional(), program_uuid: anyUuid })
  .strict();
const courseRunCredentialIn = z
  .object({
    type: z.literal('course-run').optional(),
    course_run_key: z.string().min(1).max(255),
    mode: certificateType,
  })
  .strict();
const attributeIn = z.object({ name: z.string().min(1).max(255), value: z.string().max(255) }).strict();

export const credentialBody = z
  .object({
    username,
    lms_user_id: lmsUserId.nullable().optional(),
    credential: z.union([programCredentialIn, courseRunCredentialIn]),
    status: credentialStatus.default('awarded'),
    attributes: z.array(attributeIn).max(50).default([]),
    date_override: z.object({ date: dateTime }).strict().nullable().optional(),
  })
  .strict();
export type CredentialBody = z.infer<typeof credentialBody>;

export const credentialStatusBody = z.object({ status: credentialStatus }).strict();

export const credentialOut = z.object({
  uuid: z.uuid(),
  username: z.string(),
  lms_user_id: z.number().int().nullable(),
  credential: z.union([
    z.object({ type: z.literal('program'), program_uuid: z.uuid() }),
    z.object({ type: z.literal('course-run'), course_run_key: z.string(), mode: z.string() }),
  ]),
  status: credentialStatus,
  attributes: z.array(z.object({ name: z.string(), value: z.string() })),
  date_override: z.object({ date: z.string() }).nullable(),
  created: z.string(),
  modified: z.string(),
});
export type CredentialOut = z.infer<typeof credentialOut>;

export const credentialListQuery = paginationQuery.extend({
  username: z.string().optional(),
  status: credentialStatus.optional(),
  type: z.enum(['program', 'course-run']).optional(),
  program_uuid: z.string().optional(),
  only_visible: queryBool,
});

// ---- grades ----

export const gradeBody = z
  .object({
    username,
    lms_user_id: lmsUserId.nullable().optional(),
    course_run: z.string().min(1).max(255),
    letter_grade: z.string().max(255).nullable(),
    percent_grade: z.number().min(0).max(9.9999),
    verified: z.boolean().default(true),
    lms_last_updated_at: dateTime.nullable().optional(),
  })
  .strict();
export const gradePatchBody = z
  .object({
    username: username.optional(),
    course_run: z.string().min(1).max(255).optional(),
    letter_grade: z.string().max(255).nullable().optional(),
    percent_grade: z.number().min(0).max(9.9999).optional(),
    verified: z.boolean().optional(),
    lms_last_updated_at: dateTime.nullable().optional(),
  })
  .strict();
export const gradeOut = z.object({
  id: z.uuid(),
  username: z.string(),
  lms_user_id: z.number().int().nullable(),
  course_run: z.string(),
  letter_grade: z.string(),
  percent_grade: z.number(),
  verified: z.boolean(),
  lms_last_updated_at: z.string().nullable(),
  created: z.string(),
  modified: z.string(),
});

// ---- course certificate configs ----

export const courseCertificateBody = z
  .object({
    course_id: z.string().min(1).max(255),
    certificate_type: certificateType,
    certificate_available_date: dateTime.nullable().optional(),
    is_active: z.boolean().default(true),
  })
  .strict();
export const courseCertificatePatchBody = z
  .object({
    certificate_type: certificateType.optional(),
    certificate_available_date: dateTime.nullable().optional(),
    is_active: z.boolean().optional(),
  })
  .strict();
export const courseCertificateOut = z.object({
  id: z.uuid(),
  course_id: z.string(),
  course_run: z.uuid().nullable(),
  certificate_type: z.string(),
  certificate_available_date: z.string().nullable(),
  is_active: z.boolean(),
});

// ---- learner status, and program status (docs/decisions/0013-learner-program-status.md) ----

export const learnerStatusBody = z
  .object({
    lms_user_id: z.number().int().nullable().optional(),
    username: z.string().max(150).nullable().optional(),
    courses: z.array(z.string().max(255)).max(500).optional(),
    course_runs: z.array(z.string().max(255)).max(500).optional(),
  })
  .strict();
export type LearnerStatusBody = z.infer<typeof learnerStatusBody>;

const gradeOfRun = z
  .object({ letter_grade: z.string(), percent_grade: z.number(), verified: z.boolean() })
  .nullable();

export const learnerStatusOut = z.object({
  lms_user_id: z.number().int().nullable(),
  username: z.string().nullable(),
  status: z.array(
    z.object({
      course_uuid: z.string(),
      course_run: z.object({ uuid: z.string(), key: z.string() }),
      status: z.string(),
      type: z.string(),
      certificate_available_date: z.string().nullable(),
      grade: gradeOfRun,
    }),
  ),
});
export type LearnerStatusOut = z.infer<typeof learnerStatusOut>;

export const bulkLearnerStatusBody = z.array(z.unknown()).min(1).max(500);
/** One answer per item, in order: a status, or this item's own error. */
export const bulkLearnerStatusOut = z.array(z.union([learnerStatusOut, z.object({ error: errorSchema })]));

export const learnerProgramStatusBody = z
  .object({
    lms_user_id: z.number().int().nullable().optional(),
    username: z.string().max(150).nullable().optional(),
    program_uuid: anyUuid,
  })
  .strict();

export const learnerProgramStatusOut = z.object({
  lms_user_id: z.number().int().nullable(),
  username: z.string().nullable(),
  program_uuid: z.uuid(),
  program_title: z.string(),
  complete: z.boolean(),
  completed_courses: z.number().int(),
  total_courses: z.number().int(),
  visible_date: z.string().nullable(),
  program_certificate: z.object({ uuid: z.uuid(), status: credentialStatus }).nullable(),
  courses: z.array(
    z.object({
      course_uuid: z.string(),
      course_key: z.string(),
      title: z.string(),
      complete: z.boolean(),
      completing_run: z.object({ uuid: z.string(), key: z.string() }).nullable(),
      runs: z.array(
        z.object({
          uuid: z.string(),
          key: z.string(),
          excluded: z.boolean(),
          type: z.string().nullable(),
          status: z.enum(['awarded', 'revoked', 'none']),
          mode: z.string().nullable(),
          certificate_available_date: z.string().nullable(),
          visible: z.boolean(),
          counts_toward_program: z.boolean(),
          grade: gradeOfRun,
        }),
      ),
    }),
  ),
});
export type LearnerProgramStatusOut = z.infer<typeof learnerProgramStatusOut>;

// ---- pathways and credit requests ----

const pathwayFields = {
  name: z.string().trim().min(1).max(255),
  org_name: z.string().max(255),
  email: z.union([z.email(), z.literal('')]),
  destination_url: z.url().max(255).nullable(),
  description: z.string().max(5000).nullable(),
  pathway_type: z.enum(['credit', 'industry']),
  status: z.enum(['unpublished', 'published', 'retired']),
  programs: z.array(anyUuid).max(200),
};
export const pathwayBody = z
  .object({
    ...pathwayFields,
    org_name: pathwayFields.org_name.default(''),
    email: pathwayFields.email.default(''),
    destination_url: pathwayFields.destination_url.optional(),
    description: pathwayFields.description.optional(),
    pathway_type: pathwayFields.pathway_type.default('credit'),
    status: pathwayFields.status.default('published'),
    programs: pathwayFields.programs.default([]),
  })
  .strict();
export const pathwayPatchBody = z.object(pathwayFields).partial().strict();
export type PathwayPatch = z.infer<typeof pathwayPatchBody>;
export const pathwayOut = z.object({
  id: z.uuid(),
  name: z.string(),
  org_name: z.string(),
  email: z.string(),
  destination_url: z.string().nullable(),
  description: z.string().nullable(),
  pathway_type: z.string(),
  status: z.string(),
  programs: z.array(z.uuid()),
  created: z.string(),
  modified: z.string(),
});

export const creditRequestQuery = paginationQuery.extend({
  username: z.string().optional(),
  program_uuid: anyUuid.optional(),
  pathway_id: anyUuid.optional(),
});
export const creditRequestOut = z.object({
  id: z.uuid(),
  username: z.string(),
  lms_user_id: z.number().int().nullable(),
  pathway_id: z.uuid(),
  program_uuid: z.uuid().nullable(),
  status: z.string(),
  request_count: z.number().int(),
  last_sent: z.string().nullable(),
  created: z.string(),
  modified: z.string(),
});

// ---- program records ----

export const programRecordsQuery = z.object({ username: z.string().optional() });
export const programRecordsOut = z.object({
  enrolled_programs: z.array(
    z.object({
      name: z.string(),
      uuid: z.string(),
      partner: z.string(),
      completed: z.boolean(),
      empty: z.boolean(),
      last_updated: z.string(),
      type: z.string(),
      type_name: z.string(),
    }),
  ),
});

export const recordDetailQuery = z.object({
  is_public: queryBool,
  username: z.string().optional(),
});

const gradeRow = z.object({
  name: z.string(),
  school: z.string(),
  attempts: z.number().int(),
  /** The shown run's key; "" for a course not earned (never null: the learner-record page calls .replace on it). */
  course_id: z.string(),
  issue_date: z.string().nullable(),
  percent_grade: z.number().nullable(),
  letter_grade: z.string().nullable(),
});
export type GradeRowOut = z.infer<typeof gradeRow>;

export const programRecord = z.object({
  learner: z.object({
    username: z.string(),
    full_name: z.string().nullable(),
    /** "" on the public view (and absent from the CSV). */
    email: z.string().nullable(),
  }),
  platform_name: z.string(),
  program: z.object({
    name: z.string(),
    uuid: z.string(),
    school: z.string(),
    completed: z.boolean(),
    empty: z.boolean(),
    type: z.string(),
    type_name: z.string(),
    last_updated: z.string(),
  }),
  grades: z.array(gradeRow),
  pathways: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      status: z.string(),
      is_active: z.boolean(),
      pathway_type: z.string(),
    }),
  ),
  shared_program_record_uuid: z.string().nullable(),
});
export type ProgramRecord = z.infer<typeof programRecord>;

export const recordDetailOut = z.object({
  record: programRecord,
  is_public: z.boolean(),
  uuid: z.string(),
  records_help_url: z.string(),
});

export const shareBody = z.object({ username }).strict();
export const shareOut = z.object({ url: z.string() });
export const sendBody = z.object({ username, pathway_id: anyUuid }).strict();
