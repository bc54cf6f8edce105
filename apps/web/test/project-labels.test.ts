import { describe, expect, it } from 'vitest';
import { projectLabels } from '../src/project-labels';
import type { Role } from '../src/types';

const project = (id: string, name: string, role: Role) => ({ id, name, role });

describe('project names in the switcher', () => {
  it('is just the name when no other project has it', () => {
    const labels = projectLabels([project('a1', 'Ops', 'owner'), project('b2', 'Billing', 'readonly')]);
    expect([...labels.values()]).toEqual(['Ops', 'Billing']);
  });

  it('tells projects of one name apart by your role, then by the start of their id', () => {
    const labels = projectLabels([
      project('11111111-aaaa', 'Ops', 'owner'),
      project('22222222-bbbb', 'Ops', 'member'),
      project('33333333-cccc', 'Ops', 'member'),
      project('44444444-dddd', 'Billing', 'member'),
    ]);
    expect([...labels.values()]).toEqual(['Ops · owner', 'Ops · member · 22222222', 'Ops · member · 33333333', 'Billing']);
  });
});
