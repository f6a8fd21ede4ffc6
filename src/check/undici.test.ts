import * as undici from 'undici';
import { describe, expect, it } from 'vitest';
import { undiciParts } from './undici.js';

describe("undici's parts, loaded lean", () => {
  it('come from their own files in the installed undici (if this fails, its layout moved: update the paths)', () => {
    expect(undiciParts().from).toBe('files');
  });

  it("are the very classes undici's entry point exports, so instanceof and options agree", () => {
    expect(undiciParts().Agent).toBe(undici.Agent);
    expect(undiciParts().buildConnector).toBe(undici.buildConnector);
  });
});
