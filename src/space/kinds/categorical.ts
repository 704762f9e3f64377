/** A choice among strings, one-hot encoded: decoding picks the largest coordinate (ties: the first choice). */
import type { Rng } from '../../random/rng.ts';
import { show } from '../fields.ts';
import type { CategoricalParameter, ParameterKind } from '../parameter.ts';

export const categoricalKind: ParameterKind<CategoricalParameter> = {
  keys: ['choices'],

  parse(fields, name, description) {
    const choices = fields.array('choices');
    if (choices === undefined) return fields.fail('missing_key', '"choices" is required');
    if (choices.length === 0) fields.fail('empty_choices', '"choices" is empty: give at least one choice');
    for (const choice of choices) {
      if (typeof choice !== 'string') fields.fail('wrong_type', `every choice must be a string, got ${show(choice)}`);
    }
    const strings = choices as readonly string[];
    const repeated = strings.find((choice, i) => strings.indexOf(choice) !== i);
    if (repeated !== undefined) fields.fail('duplicate_choice', `choice "${repeated}" appears more than once`);
    const given = fields.optionalString('default');
    if (given !== undefined && !strings.includes(given)) {
      fields.fail('default_out_of_range', `default ("${given}") is not one of ${strings.join(', ')}`);
    }
    const value = given ?? (strings[0] as string);
    return { kind: 'categorical', name, choices: strings, default: value, ...(description === undefined ? {} : { description }) };
  },

  width: (p) => p.choices.length,

  encode(p, value) {
    return p.choices.map((choice) => (choice === value ? 1 : 0));
  },

  decode(p, unit) {
    let best = 0;
    for (let i = 1; i < p.choices.length; i++) if ((unit[i] ?? 0) > (unit[best] ?? 0)) best = i;
    return p.choices[best] as string;
  },

  sample(p, rng: Rng) {
    return p.choices[rng.int(0, p.choices.length - 1)] as string;
  },

  contains(p, value) {
    return typeof value === 'string' && p.choices.includes(value);
  },

  levels(p) {
    return [...p.choices];
  },
};
