import { describe, expect, it } from 'vitest';
import { programTypeName } from '../catalog-reads.js';

describe('program type names', () => {
  it("names known types, and titles any other slug — Object.prototype's names included", () => {
    expect(programTypeName('micromasters')).toBe('MicroMasters');
    expect(programTypeName('data-science')).toBe('Data Science');
    // A lookup with [] alone would return Object.prototype's function for these.
    expect(programTypeName('constructor')).toBe('Constructor');
    expect(programTypeName('toString')).toBe('ToString');
  });
});
