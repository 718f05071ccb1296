/**
 * The fixed uuids of the default types seeded by migration 2026_11_23_0110_catalog_seed_types
 * (course-discovery's rows after its migrations), by slug. Every installation has them.
 */
export const SEEDED_TRACKS = {
  audit: '5eed0000-0000-4000-8000-000000000101',
  verified: '5eed0000-0000-4000-8000-000000000102',
  professional: '5eed0000-0000-4000-8000-000000000103',
  credit: '5eed0000-0000-4000-8000-000000000104',
  honor: '5eed0000-0000-4000-8000-000000000105',
} as const;

export const SEEDED_RUN_TYPES = {
  audit: '5eed0000-0000-4000-8000-000000000201',
  professional: '5eed0000-0000-4000-8000-000000000202',
  'verified-audit': '5eed0000-0000-4000-8000-000000000203',
  'credit-verified-audit': '5eed0000-0000-4000-8000-000000000204',
  honor: '5eed0000-0000-4000-8000-000000000205',
  'verified-honor': '5eed0000-0000-4000-8000-000000000206',
  'credit-verified-honor': '5eed0000-0000-4000-8000-000000000207',
  verified: '5eed0000-0000-4000-8000-000000000208',
  empty: '5eed0000-0000-4000-8000-000000000209',
} as const;

export const SEEDED_COURSE_TYPES = {
  audit: '5eed0000-0000-4000-8000-000000000301',
  professional: '5eed0000-0000-4000-8000-000000000302',
  'verified-audit': '5eed0000-0000-4000-8000-000000000303',
  'credit-verified-audit': '5eed0000-0000-4000-8000-000000000304',
  honor: '5eed0000-0000-4000-8000-000000000305',
  'verified-honor': '5eed0000-0000-4000-8000-000000000306',
  'credit-verified-honor': '5eed0000-0000-4000-8000-000000000307',
  verified: '5eed0000-0000-4000-8000-000000000308',
  empty: '5eed0000-0000-4000-8000-000000000309',
} as const;
