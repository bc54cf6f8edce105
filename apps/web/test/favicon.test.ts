import { describe, expect, it } from 'vitest';
import { FAVICON_COLOURS, faviconHref, worstStatus } from '../src/favicon';

describe('the favicon state of a project', () => {
  it('is its worst status: down before late before up', () => {
    expect(worstStatus(['up', 'late', 'down', 'up'])).toBe('down');
    expect(worstStatus(['up', 'late', 'paused'])).toBe('late');
    expect(worstStatus(['new', 'up', 'paused'])).toBe('up');
  });

  it('is none, grey, for no check or only new and paused ones: nothing there says all is well', () => {
    expect(worstStatus([])).toBe('none');
    expect(worstStatus(['new', 'paused'])).toBe('none');
  });

  it('draws each state as an SVG data URL in its own colour and with a mark of its own', () => {
    const svgs = (['up', 'late', 'down', 'none'] as const).map((state) =>
      decodeURIComponent(faviconHref(state).replace('data:image/svg+xml,', '')),
    );
    for (const [i, state] of (['up', 'late', 'down', 'none'] as const).entries()) {
      expect(svgs[i]).toContain(`fill="${FAVICON_COLOURS[state]}"`);
      expect(svgs[i]).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
    // Four different drawings, the marks too: not colour alone.
    const marks = svgs.map((svg) => svg.replace(/fill="#[0-9a-f]{6}"/, ''));
    expect(new Set(marks).size).toBe(4);
  });
});
