import { describe, expect, it } from 'vitest';
import { changesOfDraft, draftErrors, draftOfWindow, emptyDraft, inputOfDraft, localInput } from '../src/maintenance';
import type { MaintenanceWindow } from '../src/types';

const recurring: MaintenanceWindow = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Sunday backups',
  kind: 'recurring',
  cron: '0 2 * * SUN',
  tz: 'Europe/Berlin',
  duration: 5400,
  covers: 'tags',
  tags: ['db', 'backup'],
  checks: [],
  endedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  current: null,
  next: null,
};

describe('the maintenance window editor', () => {
  it('opens a window as it was saved and sends it back unchanged', () => {
    const draft = draftOfWindow(recurring);
    expect(draft).toMatchObject({ kind: 'recurring', cron: '0 2 * * SUN', tz: 'Europe/Berlin', duration: '90m', tags: 'db backup' });
    expect(inputOfDraft(draft)).toEqual({
      name: 'Sunday backups',
      kind: 'recurring',
      cron: '0 2 * * SUN',
      tz: 'Europe/Berlin',
      duration: 5400,
      covers: 'tags',
      tags: ['db', 'backup'],
    });
  });

  it('sends only the name when only the name changed, so an early end stays; new times or coverage go with their fields', () => {
    const original = draftOfWindow(recurring);
    expect(changesOfDraft(original, { ...original, name: 'Renamed' })).toEqual({ name: 'Renamed' });
    expect(changesOfDraft(original, { ...original, duration: '2h' })).toEqual({
      name: 'Sunday backups',
      kind: 'recurring',
      cron: '0 2 * * SUN',
      tz: 'Europe/Berlin',
      duration: 7200,
    });
    expect(changesOfDraft(original, { ...original, covers: 'project' })).toEqual({ name: 'Sunday backups', covers: 'project' });
  });

  it('turns datetime-local values into instants of the browser zone, and says what is missing before asking', () => {
    const draft = { ...emptyDraft(Date.UTC(2026, 11, 24, 20, 30)), name: 'Upgrade' };
    const input = inputOfDraft(draft);
    expect(Date.parse(input.endsAt!) - Date.parse(input.startsAt!)).toBe(2 * 3_600_000);
    expect(localInput(input.startsAt!)).toBe(draft.startsAt);
    expect(draftErrors({ ...draft, name: ' ', covers: 'checks' })).toEqual({
      name: 'a window needs a name',
      checks: 'choose at least one check',
    });
    expect(draftErrors({ ...draft, kind: 'recurring', duration: '30s' })).toEqual({ duration: 'must be between 1 minute and 7 days' });
  });
});
