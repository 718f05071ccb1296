import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NotFound } from '../shared/errors.js';
import { requestOrigin } from './urls.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?page=N&page_size=M`, merged into a list endpoint's query schema. */
export const paginationQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});
export type PaginationQuery = z.infer<typeof paginationQuery>;

export interface Page<T> {
  count: number;
  num_pages: number;
  current_page: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** The response schema of a paginated list of `item`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().int(),
    num_pages: z.number().int(),
    current_page: z.number().int(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
  });
}

/** Where a page starts and how many rows it holds, for the repository's `offset`/`limit`. */
export function pageWindow(q: PaginationQuery): { offset: number; limit: number } {
  return { offset: (q.page - 1) * q.page_size, limit: q.page_size };
}

/**
 * Wraps one page of results. `next`/`previous` are absolute URLs that keep every other query
 * parameter of the request, because the web clients follow them verbatim.
 */
export function toPage<T>(request: FastifyRequest, q: PaginationQuery, count: number, results: T[]): Page<T> {
  const numPages = Math.max(1, Math.ceil(count / q.page_size));
  if (q.page > numPages) throw new NotFound('Invalid page.', 'invalid_page');
  const link = (page: number): string => {
    const url = new URL(request.url, requestOrigin(request));
    if (page === 1) url.searchParams.delete('page');
    else url.searchParams.set('page', String(page));
    return url.toString();
  };
  return {
    count,
    num_pages: numPages,
    current_page: q.page,
    next: q.page < numPages ? link(q.page + 1) : null,
    previous: q.page > 1 ? link(q.page - 1) : null,
    results,
  };
}
