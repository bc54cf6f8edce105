import { type KeyboardEvent, useState } from 'react';
import { snippetsFor } from '../snippets';
import type { Check } from '../types';
import { CopyButton } from './CopyButton';

/** Tabs of ready-to-paste snippets (arrow keys move between tabs, as in the WAI-ARIA tabs pattern). */
export function Snippets({ url, check }: { url: string; check: Check }) {
  // The dashboard is served by the Cronbeat server itself, which hands out the client (/client/…).
  const snippets = snippetsFor(url, check, window.location.origin);
  const [selected, setSelected] = useState(0);
  const shown = snippets[selected] ?? snippets[0]!;

  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = (selected + step + snippets.length) % snippets.length;
    setSelected(next);
    document.getElementById(`snippet-tab-${snippets[next]!.id}`)?.focus();
  };

  return (
    <div className="snippets">
      <div role="tablist" aria-label="Snippets" className="tabs" onKeyDown={onKeyDown}>
        {snippets.map((snippet, index) => (
          <button
            key={snippet.id}
            id={`snippet-tab-${snippet.id}`}
            type="button"
            role="tab"
            aria-selected={index === selected}
            aria-controls="snippet-panel"
            tabIndex={index === selected ? 0 : -1}
            onClick={() => setSelected(index)}
          >
            {snippet.label}
          </button>
        ))}
      </div>
      <div id="snippet-panel" role="tabpanel" aria-labelledby={`snippet-tab-${shown.id}`} className="snippet">
        <pre>
          <code>{shown.code}</code>
        </pre>
        <CopyButton text={shown.code} />
      </div>
    </div>
  );
}
