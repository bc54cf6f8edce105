/**
 * Removes the keys the bench's processes left in Redis (BullMQ's queues and
 * the servers' rate limits, all under the bench's QUEUE_PREFIX). One
 * command in Redis's wire protocol, so the bench needs no Redis client.
 */
import { once } from 'node:events';
import { connect } from 'node:net';

const DELETE_MATCHING = "local n = 0 for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key) n = n + 1 end return n";

export async function dropRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const url = new URL(redisUrl);
  const socket = connect(Number(url.port || 6379), url.hostname);
  try {
    await once(socket, 'connect');
    const commands = [
      ...(url.password ? [['AUTH', ...(url.username ? [decodeURIComponent(url.username)] : []), decodeURIComponent(url.password)]] : []),
      ['EVAL', DELETE_MATCHING, '0', `${prefix}:*`],
    ];
    for (const command of commands) {
      socket.write(`*${command.length}\r\n${command.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`);
      const [reply] = (await once(socket, 'data')) as [Buffer];
      if (reply.toString().startsWith('-')) throw new Error(`Redis: ${reply.toString().trim()}`);
    }
  } finally {
    socket.destroy();
  }
}
