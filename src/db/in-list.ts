import type {
  Expression,
  ExpressionBuilder,
  ExtractTypeFromReferenceExpression,
  ReferenceExpression,
  SqlBool,
} from 'kysely';

/**
 * `column in (values)`, and `false` for no values: the one way to put a list that may be empty
 * into a WHERE. Kysely writes `in ()` for an empty array, which PostgreSQL refuses; a sentinel
 * value (`['']`, a zero uuid, `uuid is null`) hides the case instead of saying it. A repository
 * method whose whole answer is empty for an empty list returns it before querying instead (no
 * statement at all). A filter the caller left empty (`?state=`) is a different thing: no
 * condition, decided where the filter is read.
 */
export function inList<DB, TB extends keyof DB, RE extends ReferenceExpression<DB, TB>>(
  eb: ExpressionBuilder<DB, TB>,
  column: RE,
  values: readonly ExtractTypeFromReferenceExpression<DB, TB, RE>[],
): Expression<SqlBool> {
  return values.length === 0 ? eb.lit(false) : eb(column, 'in', values);
}
