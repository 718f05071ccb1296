import { z } from 'zod';

/** One entry of a record's change history (GET .../history/). */
export const changeOut = z.object({
  id: z.number().int(),
  operation: z.enum(['insert', 'update', 'delete']),
  changed_by: z.string(),
  reason: z.string().nullable(),
  changed_at: z.string(),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
});
