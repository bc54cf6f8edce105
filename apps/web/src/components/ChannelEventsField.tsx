import { CHANNEL_EVENTS } from '@cronbeat/contract';
import type { Channel } from '../types';

type ChannelEvent = Channel['events'][number];

/** The events in words; `late` is sent only for checks that alert on late. */
const EVENT_LABELS: Record<ChannelEvent, string> = {
  down: 'Down: a check went down',
  up: 'Up: a check is back',
  late: 'Late: a check is late (for checks that alert on late)',
  still_down: 'Still down: reminders while a check stays down',
};

/** Which events a channel is sent, one checkbox each; none checked sends nothing. `errors` are the API's, by field. */
export function ChannelEventsField({
  events,
  errors,
  onChange,
}: {
  events: readonly ChannelEvent[];
  errors: Record<string, string>;
  onChange: (events: ChannelEvent[]) => void;
}) {
  // The API names `events` or one item of it (`events.1`).
  const error = errors.events ?? Object.entries(errors).find(([field]) => field.startsWith('events.'))?.[1];
  const toggle = (event: ChannelEvent, on: boolean) =>
    // Kept in the API's order so an unchanged choice reads the same.
    onChange(CHANNEL_EVENTS.filter((candidate) => (candidate === event ? on : events.includes(candidate))));
  return (
    <fieldset className="field">
      <legend>Events</legend>
      {CHANNEL_EVENTS.map((event) => (
        <label key={event} className="inline">
          <input
            type="checkbox"
            name="events"
            value={event}
            checked={events.includes(event)}
            onChange={(e) => toggle(event, e.target.checked)}
          />
          {EVENT_LABELS[event]}
        </label>
      ))}
      {events.length === 0 && <p className="hint">No event is chosen: this channel is sent nothing.</p>}
      {error && <p className="error field-error">{error}</p>}
    </fieldset>
  );
}
