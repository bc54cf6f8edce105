/**
 * The check editor's model, apart from its form: the fields as typed (a
 * duration as `1h`, tags as one line), made from a check, checked field
 * by field, and turned into what the API takes.
 */
import { EMPTY_POLICY, type PolicyDraft, policyDraftOf, policyInputOf, policyTypedErrors } from './alert-policy';
import { type ScheduleValue, ZONES } from './components/ScheduleFields';
import { durationError, formatDuration, readDuration } from './durations';
import { browserZone } from './time';
import type { Check, CheckInput } from './types';
import { zoneProblem } from './zones';

/** The check editor's fields as typed. */
export interface CheckDraft {
  name: string;
  slug: string;
  tags: string;
  description: string;
  schedule: ScheduleValue;
  /** As typed: `1h`. */
  grace: string;
  /** As typed; empty for the grace time. */
  maxRuntime: string;
  manualResume: boolean;
  /** Which requests ping: '' any, 'POST' only POST (Healthchecks' methods). */
  methods: Check['methods'];
  alertOnLate: boolean;
  /** Seconds; null for no reminders. */
  remindEvery: number | null;
  channels: string[];
  /** Ids of the checks this one depends on. */
  dependsOn: string[];
  policy: PolicyDraft;
}

/** A new check's fields: daily, an hour's grace, the browser's zone for cron and OnCalendar. */
export const EMPTY_DRAFT: CheckDraft = {
  name: '',
  slug: '',
  tags: '',
  description: '',
  schedule: { kind: 'period', period: '1d', cron: '0 * * * *', onCalendar: 'Mon..Fri *-*-* 09:00', tz: browserZone() },
  grace: '1h',
  maxRuntime: '',
  manualResume: false,
  methods: '',
  alertOnLate: false,
  remindEvery: null,
  channels: [],
  dependsOn: [],
  policy: EMPTY_POLICY,
};

/** An existing check's fields as the editor shows them. */
export function draftOf(check: Check): CheckDraft {
  return {
    name: check.name,
    slug: check.slug ?? '',
    tags: check.tags.join(' '),
    description: check.description ?? '',
    schedule: {
      kind: check.cron ? 'cron' : check.onCalendar ? 'oncalendar' : 'period',
      period: formatDuration(check.period ?? 86_400),
      cron: check.cron ?? '0 * * * *',
      onCalendar: check.onCalendar ?? 'Mon..Fri *-*-* 09:00',
      tz: check.cron || check.onCalendar ? check.tz : browserZone(),
    },
    grace: formatDuration(check.grace),
    maxRuntime: check.maxRuntime ? formatDuration(check.maxRuntime) : '',
    manualResume: check.manualResume,
    methods: check.methods,
    alertOnLate: check.alertOnLate,
    remindEvery: check.remindEvery,
    channels: check.channels ?? [],
    dependsOn: check.dependsOn,
    policy: policyDraftOf(check),
  };
}

/** Seconds of a duration field already checked by `typedErrors`. */
const seconds = (text: string): number => readDuration(text) as number;

/** What is wrong with the fields typed as text (durations, the zone), by the API's field names; empty when nothing is. */
export function typedErrors(draft: CheckDraft): Record<string, string> {
  const errors = {
    period: draft.schedule.kind === 'period' ? durationError(draft.schedule.period) : undefined,
    tz: draft.schedule.kind !== 'period' ? zoneProblem(draft.schedule.tz, ZONES)?.error : undefined,
    grace: durationError(draft.grace),
    maxRuntime: durationError(draft.maxRuntime, true),
    ...policyTypedErrors(draft.policy, draft.schedule.kind !== 'period'),
  };
  return Object.fromEntries(Object.entries(errors).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** The schedule fields the API takes for the chosen kind. */
function scheduleInputOf({ kind, period, cron, onCalendar, tz }: ScheduleValue): Pick<CheckInput, 'period' | 'cron' | 'onCalendar' | 'tz'> {
  if (kind === 'cron') return { cron: cron.trim(), tz };
  if (kind === 'oncalendar') return { onCalendar: onCalendar.trim(), tz };
  return { period: seconds(period) };
}

/** What the API is sent for `draft`, once `typedErrors` finds nothing wrong. */
export function inputOf(draft: CheckDraft): CheckInput {
  return {
    name: draft.name.trim(),
    slug: draft.slug.trim() || null,
    tags: draft.tags.split(/[\s,]+/).filter(Boolean),
    description: draft.description,
    ...scheduleInputOf(draft.schedule),
    grace: seconds(draft.grace),
    // Omitted when empty: the server then keeps its default (the grace time).
    ...(draft.maxRuntime.trim() && { maxRuntime: seconds(draft.maxRuntime) }),
    manualResume: draft.manualResume,
    methods: draft.methods,
    alertOnLate: draft.alertOnLate,
    remindEvery: draft.remindEvery,
    channels: draft.channels,
    dependsOn: draft.dependsOn,
    ...policyInputOf(draft.policy, draft.schedule.kind !== 'period'),
  };
}
