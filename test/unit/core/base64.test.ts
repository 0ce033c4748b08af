import { describe, expect, it } from 'vitest';
import { base64Problem } from '../../../src/core/base64.js';

describe('base64Problem: standard padded base64 only, refused rather than cleaned', () => {
  it.each(['aGVsbG8=', 'aGVsbG8h', 'aGk=', 'AA==', '+/+/', Buffer.from([0, 255, 128, 7, 9]).toString('base64')])('accepts %j', (text) => {
    expect(base64Problem(text)).toBeNull();
  });

  it.each([
    ['aGVsbG8', /is 7 characters long/],
    ['abcde', /is 5 characters long/],
    ['aGVs bG8=', /U\+0020 at position 5/],
    ['aGVs\nbG8=', /U\+000A at position 5/],
    ['aGVsbG8!', /"!" at position 8/],
    ['aGVsbG8-', /"-" at position 8/],
    ['data:text/plain;base64,aGk=', /":" at position 5/],
    ['a===', /"=" at position 2/],
    ['aG=sbG8=', /"=" at position 3/],
    ['====', /"=" at position 1/],
    ['aGVsbG9=', /does not end as an encoder writes it/],
    ['aGl=', /does not end as an encoder writes it/],
    ['aGk', /is 3 characters long/],
  ])('refuses %j, saying why', (text, why) => {
    expect(base64Problem(text)).toMatch(why);
  });
});
