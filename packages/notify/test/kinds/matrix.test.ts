import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { matrixKind } from '../../src/kinds/matrix';
import { anAlert } from '../alert-fixture';
import { HOSTILE_NAME, itTellsAnswersApart, useKindReceiver } from './support';

const { receiver, context } = useKindReceiver();
const accessToken = 'syt_Y3JvbmJlYXQ_abcdefghijklmnop_0a1b2c';
const send = (alert = anAlert()) =>
  matrixKind.send(context(), { homeserverUrl: `${receiver().url}/`, roomId: '!OGEhHVWSdvArJzumhm:example.org', accessToken }, alert);

interface RoomMessage {
  msgtype: string;
  body: string;
  format: string;
  formatted_body: string;
  'm.mentions': Record<string, unknown>;
}

describe('Matrix', () => {
  // https://spec.matrix.org/v1.13/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid
  it('PUTs an m.room.message to the room with the delivery id as transaction id and the token as bearer', async () => {
    receiver().respond = () => ({ status: 200, body: { event_id: '$YUwRidLecu:example.org' } });
    await send();
    const [request] = receiver().requests;
    expect(request?.method).toBe('PUT');
    expect(request?.path).toBe(
      '/_matrix/client/v3/rooms/%21OGEhHVWSdvArJzumhm%3Aexample.org/send/m.room.message/a1b2c3d4-0000-4000-8000-000000000007',
    );
    expect(request?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(request?.headers['content-type']).toBe('application/json');
    const content = request?.json as RoomMessage;
    expect(content.msgtype).toBe('m.notice');
    expect(content.format).toBe('org.matrix.custom.html');
    expect(content['m.mentions']).toEqual({});
    expect(content.body).toMatch(/^DOWN: nightly-backup \(failed, exit status 3\)\n\n/);
    expect(content.body).toContain('Exit status: 3');
    expect(content.body).toContain('pg_dump: error: connection refused');
    expect(content.formatted_body).toContain('<font color="#e01e5a">DOWN: nightly-backup (failed, exit status 3)</font>');
    expect(content.formatted_body).toContain('<pre><code>pg_dump: error: connection refused</code></pre>');
    expect(content.formatted_body).toContain('<a href="https://cronbeat.example/checks/6f1c1f1e">Open check</a>');
  });

  it('sends a retry of one delivery to the same transaction, a new delivery to another', async () => {
    await send();
    await send();
    await send(anAlert({ deliveryId: 'b0000000-0000-4000-8000-000000000008' }));
    const [first, retry, next] = receiver().requests.map((request) => request.path);
    expect(retry).toBe(first);
    expect(next).not.toBe(first);
    expect(next).toMatch(/\/send\/m\.room\.message\/b0000000-0000-4000-8000-000000000008$/);
  });

  it('escapes a hostile check name and mentions no one', async () => {
    await send(anAlert({ check: { name: `${HOSTILE_NAME} @room` } }));
    const content = receiver().requests[0]?.json as RoomMessage;
    expect(content['m.mentions']).toEqual({});
    expect(content.formatted_body).toContain('DOWN: @everyone &lt;b&gt;&amp; @room (failed, exit status 3)');
    expect(content.formatted_body).not.toContain('<b>&');
  });

  it('has a config schema: a room id, not an alias; the token secret', () => {
    expect(
      Value.Check(matrixKind.config, { homeserverUrl: 'https://matrix-client.matrix.org', roomId: '!abc:matrix.org', accessToken }),
    ).toBe(true);
    expect(
      Value.Check(matrixKind.config, { homeserverUrl: 'https://matrix-client.matrix.org', roomId: '#ops:matrix.org', accessToken }),
    ).toBe(false);
    expect(Value.Check(matrixKind.config, { homeserverUrl: 'https://matrix-client.matrix.org', roomId: '!abc:matrix.org' })).toBe(false);
    expect(matrixKind.secrets).toEqual(['accessToken']);
  });

  itTellsAnswersApart({
    receiver,
    send,
    alert: () => anAlert(),
    refused: { status: 403, body: { errcode: 'M_FORBIDDEN', error: 'User not in room' } },
    // https://spec.matrix.org/v1.13/client-server-api/#rate-limiting: retry_after_ms in the body.
    rateLimited: {
      status: 429,
      headers: { 'retry-after': '3' },
      body: { errcode: 'M_LIMIT_EXCEEDED', error: 'Too many requests', retry_after_ms: 2500 },
    },
    retryAfterMs: 2500,
  });
});
