import { describe, expect, it } from 'vitest';
import { colourWanted } from './colour.js';

describe('colourWanted', () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{}, {}, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: true }, { NO_COLOR: '' }, true],
    [{ isTTY: true }, { CI: 'true' }, false],
    [{ isTTY: true }, { CI: 'false' }, true],
  ])('%j with %j → %s', (stream, env, expected) => {
    expect(colourWanted(stream, env)).toBe(expected);
  });
});
