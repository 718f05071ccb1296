import { z } from 'zod';

/** How deep and how large a free-form JSON object (metadata) may be. */
export const MAX_JSON_DEPTH = 10;
export const MAX_JSON_BYTES = 16 * 1024;

/**
 * The nesting depth of `value`, counting without recursion (a 100,000-level object must not
 * overflow the stack that measures it), and stopping as soon as it passes `limit`.
 */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const top = stack.pop() as { value: unknown; depth: number };
    if (top.value === null || typeof top.value !== 'object') continue;
    const depth = top.depth + 1;
    if (depth > limit) return true;
    for (const child of Object.values(top.value)) stack.push({ value: child, depth });
  }
  return false;
}

/**
 * A free-form JSON object a client attaches (deposit and transaction `metadata`): at most
 * MAX_JSON_DEPTH levels and MAX_JSON_BYTES as JSON. Deeper or larger is refused with 400, before
 * anything that walks it recursively (serializers, the database driver) can overflow.
 */
export const freeJsonObject = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) {
    ctx.addIssue({ code: 'custom', message: `may be nested at most ${MAX_JSON_DEPTH} levels deep` });
  } else if (Buffer.byteLength(JSON.stringify(value)) > MAX_JSON_BYTES) {
    ctx.addIssue({ code: 'custom', message: `may be at most ${MAX_JSON_BYTES} bytes as JSON` });
  }
});
