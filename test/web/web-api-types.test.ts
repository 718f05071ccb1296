import { readFile } from 'node:fs/promises';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderWebApiTypes, schemaType, WEB_API_TYPES, webSources } from '../../scripts/web-api-types.js';
import { type TestApp, testApp } from '../support/app.js';

/** The pages' types come from the API's OpenAPI document, and every page script is checked against them. */
describe('web/api-types.d.ts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t?.close());

  it('is what `npm run web:types` generates from /openapi.json and the pages', async () => {
    const sources = (await webSources()).map((s) => s.text);
    const expected = renderWebApiTypes(t.app.swagger() as OpenAPIV3_1.Document, sources);
    const committed = await readFile(WEB_API_TYPES, 'utf8').catch(() => '');
    expect(
      committed === expected,
      'web/api-types.d.ts differs from the API or the paths the pages name: run `npm run web:types`',
    ).toBe(true);
  });

  it('types every path a page calls: each script under web/ is type-checked (// @ts-check)', async () => {
    const unchecked = (await webSources())
      .filter((s) => !s.text.startsWith('// @ts-check\n'))
      .map((s) => s.file);
    expect(unchecked).toEqual([]);
  });

  it('turns JSON Schema into TypeScript, and refuses a keyword it does not know', () => {
    expect(
      schemaType({
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          state: { type: 'string', enum: ['open', "it's"] },
          limit: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
          tags: { type: 'array', items: { type: ['string', 'null'] } },
          counts: {
            type: 'object',
            propertyNames: { type: 'string' },
            additionalProperties: { type: 'number' },
          },
        },
        required: ['id', 'state'],
        additionalProperties: false,
      }),
    ).toBe(
      [
        '{',
        '  id: string;',
        "  state: 'open' | 'it\\'s';",
        '  limit?: number | null;',
        '  tags?: Array<string | null>;',
        '  counts?: Record<string, number>;',
        '}',
      ].join('\n'),
    );
    expect(() => schemaType({ type: 'string', $ref: '#/x' })).toThrow(/"\$ref" is not supported/);
  });
});
