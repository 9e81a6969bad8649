import { expect, test } from 'vitest';
import { closestNames } from '../../src/destination/closest-names.js';

const leadFields = ['email', 'firstName', 'lastName', 'company', 'leadScore', 'birthDate', 'title'];

test.each<[string, string[]]>([
  // Case alone differs: that match wins over every near spelling.
  ['Email', ['email']],
  ['FIRSTNAME', ['firstName']],
  // Then the smallest edit distance, case ignored.
  ['first_name', ['firstName']],
  ['last-name', ['lastName']],
  ['emial', ['email']],
  ['lead_score', ['leadScore']],
  // Nothing near: no guess.
  ['shoeSize', []],
  ['x', []],
])('%s → %j', (name, expected) => {
  expect(closestNames(name, leadFields)).toEqual(expected);
});

test('ties are all named, alphabetically, at most three', () => {
  expect(closestNames('ab', ['ac', 'ad', 'aa', 'ae', 'zz'])).toEqual(['aa', 'ac', 'ad']);
});
