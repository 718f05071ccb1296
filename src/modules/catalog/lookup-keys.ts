const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path lookups take a key or a uuid: `/courses/edX+DemoX/` and `/courses/<uuid>/`. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
