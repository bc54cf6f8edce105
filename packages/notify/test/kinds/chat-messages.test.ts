/**
 * The chat kinds' messages for what stretches them: a grouped alert of a
 * few checks (one with a hostile name) and of thousands, each within its
 * medium's limits with its markup whole; and the shared cutting helpers.
 */
import { describe, expect, it } from 'vitest';
import type { Alert, GroupedCheck } from '../../src';
import { clip, clipStart, fitLatest, fitLines } from '../../src/kinds/chat-text';
import { discordMessage } from '../../src/kinds/discord';
import { googleChatMessage } from '../../src/kinds/google-chat';
import { matrixContent } from '../../src/kinds/matrix';
import { mattermostMessage } from '../../src/kinds/mattermost';
import { rocketChatMessage } from '../../src/kinds/rocket-chat';
import { teamsCard } from '../../src/kinds/teams';
import { telegramText } from '../../src/kinds/telegram';
import { anAlert } from '../alert-fixture';
import { HOSTILE_NAME } from './support';

/** `count` checks of Acme that went down a minute apart. */
function group(count: number, name = (i: number) => `job-${i + 1}`): Alert {
  const carrier = anAlert({ flip: { reason: 'missed', exitStatus: null }, ping: null });
  const members: GroupedCheck[] = Array.from({ length: count }, (_, i) => ({
    check: { ...carrier.check, id: `check-${i}`, name: name(i), url: `https://cronbeat.example/checks/check-${i}`, tz: 'UTC' },
    flip: { ...carrier.flip, id: 100 + i, at: new Date(carrier.flip.at.getTime() + i * 60_000) },
  }));
  return { ...carrier, check: members[0]!.check, group: members };
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const count = (text: string, part: string) => text.split(part).length - 1;
const few = () => group(3, (i) => (i === 1 ? HOSTILE_NAME : `job-${i + 1}`));

describe('a grouped alert in the chat kinds', () => {
  it('Discord: every check linked in the description, escaped; thousands within 4,096 characters', () => {
    const embed = discordMessage(few()).embeds[0]!;
    expect(embed.title).toBe('DOWN: 3 checks in Acme');
    expect(embed.description).toContain('[@\u200beveryone \\<b\\>&](https://cronbeat.example/checks/check-1)');
    const huge = discordMessage(group(2000)).embeds[0]!;
    expect(huge.description?.length).toBeLessThanOrEqual(4096);
    expect(huge.description).toMatch(/… and \d+ more$/);
  });

  it('Teams: thousands within 28 KB', () => {
    expect(JSON.stringify(teamsCard(few()))).toContain(HOSTILE_NAME);
    expect(bytes(teamsCard(group(2000)))).toBeLessThan(28_000);
  });

  it('Google Chat: names escaped in the card, thousands within 32,000 bytes', () => {
    expect(JSON.stringify(googleChatMessage(few()))).toContain('>@everyone &lt;b&gt;&amp;</a>');
    expect(bytes(googleChatMessage(group(2000)))).toBeLessThan(32_000);
  });

  it('Mattermost and Rocket.Chat: names inert, thousands within their message limits', () => {
    expect(mattermostMessage(few()).attachments[0]?.text).toContain('[@\u200beveryone \\<b\\>&](https://cronbeat.example/checks/check-1)');
    expect(rocketChatMessage(few()).attachments[0]?.text).toContain('[@\u200beveryone <b>&](https://cronbeat.example/checks/check-1)');
    expect(mattermostMessage(group(2000)).attachments[0]?.text.length).toBeLessThanOrEqual(6000);
    expect(rocketChatMessage(group(2000)).attachments[0]?.text.length).toBeLessThanOrEqual(4000);
  });

  it('Telegram: names escaped, thousands within 4,096 characters with every link closed', () => {
    expect(telegramText(few())).toContain('<a href="https://cronbeat.example/checks/check-1">@everyone &lt;b&gt;&amp;</a>');
    const huge = telegramText(group(2000));
    expect(huge.length).toBeLessThanOrEqual(4096);
    expect(count(huge, '<a ')).toBe(count(huge, '</a>'));
  });

  it('Matrix: names escaped, thousands within the event size with every item closed', () => {
    expect(matrixContent(few()).formatted_body).toContain('>@everyone &lt;b&gt;&amp;</a>');
    const huge = matrixContent(group(2000));
    expect(bytes(huge)).toBeLessThan(65_536);
    expect(count(huge.formatted_body, '<li>')).toBe(count(huge.formatted_body, '</li>'));
    expect(huge.formatted_body).toContain('</ul>');
  });
});

describe('cutting text to a limit', () => {
  it('clips with an ellipsis and never leaves half a surrogate pair', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('ab😀cd', 4)).toBe('ab…');
    expect(clip('abc', 3)).toBe('abc');
    expect(clipStart('abcdef', 4)).toBe('…def');
    expect(clipStart('ab😀cd', 3)).toBe('…cd');
  });

  it('keeps whole lines and says how many are left out', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i}`);
    expect(fitLines(lines, 1000)).toBe(lines.join('\n'));
    const cut = fitLines(lines, 40);
    expect(cut.length).toBeLessThanOrEqual(40);
    expect(cut).toMatch(/^line 0\nline 1\n.*… and \d+ more$/s);
  });

  it('keeps the latest lines, oldest first, after how many earlier are not shown', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `run ${i}`);
    const cut = fitLatest(lines, 40);
    expect(cut.length).toBeLessThanOrEqual(40);
    expect(cut).toMatch(/^\(\d+ earlier not shown\)\n.*run 9$/s);
  });
});
