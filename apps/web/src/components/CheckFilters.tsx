import { STATUSES } from '../types';

export interface Filters {
  q: string;
  status: string;
  tag: string;
}

/** Search by name, filter by status and tag. */
export function CheckFilters({ filters, tags, onChange }: { filters: Filters; tags: string[]; onChange: (filters: Filters) => void }) {
  return (
    <search className="filters">
      <label>
        <span className="visually-hidden">Search checks</span>
        <input
          type="search"
          placeholder="Search by name"
          value={filters.q}
          onChange={(event) => onChange({ ...filters, q: event.target.value })}
        />
      </label>
      <label>
        <span className="visually-hidden">Status</span>
        <select value={filters.status} onChange={(event) => onChange({ ...filters, status: event.target.value })}>
          <option value="">Any status</option>
          {[...STATUSES, 'running'].map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">Tag</span>
        <select value={filters.tag} onChange={(event) => onChange({ ...filters, tag: event.target.value })}>
          <option value="">Any tag</option>
          {tags.map((tag) => (
            <option key={tag} value={tag}>
              {tag}
            </option>
          ))}
        </select>
      </label>
    </search>
  );
}
