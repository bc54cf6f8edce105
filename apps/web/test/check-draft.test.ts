import { describe, expect, it } from 'vitest';
import { type CheckDraft, EMPTY_DRAFT, inputOf, typedErrors } from '../src/check-draft';

const draft = (patch: Partial<CheckDraft>): CheckDraft => ({ ...EMPTY_DRAFT, name: 'Nightly backup', ...patch });

/** The check editor's model: what it sends for the fields as typed, and what it refuses before sending. */
describe('the check editor draft', () => {
  it('sends a period check with durations in seconds, tags split on spaces and commas, and no zone', () => {
    const input = inputOf(draft({ tags: 'db, nightly  prod', grace: '30m', maxRuntime: '', slug: '  ' }));
    expect(input).toMatchObject({ name: 'Nightly backup', slug: null, tags: ['db', 'nightly', 'prod'], period: 86_400, grace: 1_800 });
    expect(input).not.toHaveProperty('tz');
    expect(input).not.toHaveProperty('maxRuntime');
  });

  it('sends a cron check with its expression trimmed and its zone, and the longest run when one is typed', () => {
    const input = inputOf(
      draft({ schedule: { ...EMPTY_DRAFT.schedule, kind: 'cron', cron: ' 30 2 * * * ', tz: 'Europe/Riga' }, maxRuntime: '2h' }),
    );
    expect(input).toMatchObject({ cron: '30 2 * * *', tz: 'Europe/Riga', maxRuntime: 7_200 });
    expect(input).not.toHaveProperty('period');
  });

  it('names each field typed wrong by its API name, and nothing when all are right', () => {
    expect(typedErrors(draft({}))).toEqual({});
    const errors = typedErrors(draft({ grace: 'soon', schedule: { ...EMPTY_DRAFT.schedule, kind: 'cron', tz: 'Europe/Atlantis' } }));
    expect(Object.keys(errors).sort()).toEqual(['grace', 'tz']);
  });
});
