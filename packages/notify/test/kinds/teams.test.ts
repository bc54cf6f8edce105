import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { teamsKind } from '../../src/kinds/teams';
import { anAlert } from '../alert-fixture';
import { HOSTILE_NAME, itTellsAnswersApart, useKindReceiver } from './support';

const { receiver, context } = useKindReceiver();
const path = '/workflows/5f1e/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=s3cr3t';
const send = (alert = anAlert()) => teamsKind.send(context(), { url: `${receiver().url}${path}` }, alert);

interface Card {
  type: string;
  attachments: Array<{
    contentType: string;
    contentUrl: null;
    content: {
      type: string;
      version: string;
      body: Array<{ type: string; text?: string; color?: string; facts?: Array<{ title: string; value: string }> }>;
      actions: Array<{ type: string; url: string }>;
      msteams?: Record<string, unknown>;
    };
  }>;
}

describe('Microsoft Teams', () => {
  // The Workflows webhook reads an Adaptive Card in the `attachments` envelope:
  // https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook
  it('posts an Adaptive Card in the attachments envelope to the workflow URL', async () => {
    receiver().respond = () => ({ status: 202 });
    await send();
    const [request] = receiver().requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(path);
    expect(request?.headers['content-type']).toBe('application/json');
    const message = request?.json as Card;
    expect(message.type).toBe('message');
    expect(message.attachments).toHaveLength(1);
    const attachment = message.attachments[0]!;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.contentUrl).toBeNull();
    expect(attachment.content.type).toBe('AdaptiveCard');
    expect(attachment.content.version).toBe('1.4');
    const [title] = attachment.content.body;
    expect(title).toMatchObject({ type: 'TextBlock', text: 'DOWN: nightly-backup (failed, exit status 3)', color: 'attention' });
    const facts = attachment.content.body.find((element) => element.type === 'FactSet')?.facts ?? [];
    expect(facts).toContainEqual({ title: 'Exit status', value: '3' });
    expect(attachment.content.body.at(-1)?.text).toBe('pg_dump: error: connection refused');
    expect(attachment.content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open check', url: 'https://cronbeat.example/checks/6f1c1f1e' },
    ]);
  });

  it('colours a recovery good', async () => {
    await send(anAlert({ flip: { from: 'down', to: 'up', reason: 'success', exitStatus: null }, ping: null }));
    const message = receiver().requests[0]?.json as Card;
    expect(message.attachments[0]?.content.body[0]?.color).toBe('good');
  });

  it('carries a hostile check name as text, mentioning no one', async () => {
    await send(anAlert({ check: { name: HOSTILE_NAME } }));
    const message = receiver().requests[0]?.json as Card;
    const content = message.attachments[0]!.content;
    expect(content.body[0]?.text).toBe(`DOWN: ${HOSTILE_NAME} (failed, exit status 3)`);
    // Teams mentions only through msteams.entities.
    expect(content.msteams).toEqual({ width: 'Full' });
  });

  it('makes no link of a name written as markdown link', async () => {
    await send(anAlert({ check: { name: '[backup](https://evil.example)' } }));
    const message = receiver().requests[0]?.json as Card;
    expect(message.attachments[0]?.content.body[0]?.text).toContain('[backup]\u200b(https://evil.example)');
  });

  it('has a config schema that takes the workflow URL and keeps it secret', () => {
    expect(Value.Check(teamsKind.config, { url: `https://prod-01.westeurope.logic.azure.com${path}` })).toBe(true);
    expect(Value.Check(teamsKind.config, { url: 'outlook.office.com/webhook' })).toBe(false);
    expect(teamsKind.secrets).toEqual(['url']);
  });

  itTellsAnswersApart({
    receiver,
    send,
    alert: () => anAlert(),
    ok: { status: 202 },
    refused: { status: 400, body: { error: { code: 'InvalidRequestContent' } } },
    rateLimited: { status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'WorkflowTriggerIsThrottled' } } },
    retryAfterMs: 7000,
  });
});
