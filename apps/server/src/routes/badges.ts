import {
  type BadgeSummary,
  type CheckBadgeState,
  type InMaintenance,
  maintenanceAt,
  summarizeBadge,
  summarizeCheckBadge,
} from '@cronbeat/core';
import { checkForBadge, type Db, failingChecks, projectByBadgeKey, statusSummary, windowsOfProjects } from '@cronbeat/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { BADGE_MESSAGES, badgeSvg } from '../badges/svg';
import { BadRequest, NotFound } from '../errors';

/*
 * Status badges for READMEs and wikis, public by URL like the ping URLs:
 *   /badge/<badge-key>.<format>                      every check of the project
 *   /badge/<badge-key>/<tag>.<format>                the checks tagged <tag>
 *   /badge/<badge-key>/check/<slug-or-id>.<format>   one check
 * The one-check form has three segments, so it cannot be taken for a tag's
 * badge (a tag named "check" keeps /badge/<badge-key>/check.svg).
 * Formats: svg (the image), json (counts, for scripts) and shields (a
 * shields.io endpoint, for a badge in another style).
 */

const FORMATS = ['svg', 'json', 'shields'] as const;
type Format = (typeof FORMATS)[number];
const BADGE_KEY = /^[0-9a-f]{32}$/;
const SHIELDS_COLORS: Record<CheckBadgeState, string> = {
  up: 'brightgreen',
  late: 'yellow',
  down: 'red',
  maintenance: 'blue',
  none: 'lightgrey',
  paused: 'lightgrey',
  new: 'lightgrey',
};

/** What a badge answers: a set's summary, or one check's, whose state may also be `paused` or `new`. */
type ShownSummary = Omit<BadgeSummary, 'state'> & { state: CheckBadgeState };

/** `name.format` → its parts; the format is after the last dot, so tags may hold dots. */
function splitFile(file: string): { name: string; format: Format } {
  const dot = file.lastIndexOf('.');
  const format = file.slice(dot + 1);
  if (dot < 1 || !(FORMATS as readonly string[]).includes(format)) {
    throw new BadRequest(`a badge URL ends in .svg, .json or .shields, not "${file}"`);
  }
  return { name: file.slice(0, dot), format: format as Format };
}

/** The failing checks inside a maintenance window now; the project's failing checks are read only while a window is in force. */
async function inMaintenance(db: Db, projectId: string, tag: string | null, now: Date): Promise<InMaintenance> {
  const counted = { down: 0, late: 0 };
  const windows = (await windowsOfProjects(db, [projectId])).get(projectId) ?? [];
  if (windows.length === 0) return counted;
  for (const check of await failingChecks(db, projectId, tag ?? undefined)) {
    if (maintenanceAt(windows, check, now)) counted[check.status] += 1;
  }
  return counted;
}

export async function badgeRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  const projectOf = async (key: string) => {
    const project = BADGE_KEY.test(key) ? await projectByBadgeKey(app.db, key) : null;
    if (!project) throw new NotFound('Badge');
    return project;
  };

  async function answer(reply: FastifyReply, key: string, tag: string | null, format: Format) {
    const project = await projectOf(key);
    const [counts, known] = await Promise.all([
      statusSummary(app.db, project.id, tag ?? undefined),
      inMaintenance(app.db, project.id, tag, new Date()),
    ]);
    return send(reply, tag ?? project.name, summarizeBadge(counts.byStatus, known), format);
  }

  /**
   * One check's badge: its status, `maintenance` while it fails inside a
   * window, `paused` or `new` (core's summarizeCheckBadge); labelled with
   * its name.
   */
  async function answerCheck(reply: FastifyReply, key: string, slugOrId: string, format: Format) {
    const project = await projectOf(key);
    const check = await checkForBadge(app.db, project.id, slugOrId);
    if (!check) throw new NotFound('Badge');
    const known = { down: 0, late: 0 };
    if (check.status === 'down' || check.status === 'late') {
      const windows = (await windowsOfProjects(app.db, [project.id])).get(project.id) ?? [];
      if (maintenanceAt(windows, check, new Date())) known[check.status] = 1;
    }
    return send(reply, check.name, summarizeCheckBadge(check.status, known), format);
  }

  function send(reply: FastifyReply, label: string, summary: ShownSummary, format: Format) {
    // Image proxies (GitHub's among them) cache what they may: a badge must be fetched afresh.
    reply.header('cache-control', 'no-cache, max-age=0').header('access-control-allow-origin', '*');
    if (format === 'svg') return reply.type('image/svg+xml; charset=utf-8').send(badgeSvg(label, summary.state));
    if (format === 'shields') {
      return { schemaVersion: 1, label, message: BADGE_MESSAGES[summary.state], color: SHIELDS_COLORS[summary.state] };
    }
    return { status: summary.state, total: summary.total, down: summary.down, late: summary.late };
  }

  const File = Type.String({ minLength: 1, maxLength: 200 });

  const docs = { tags: ['Badges'], security: [] };
  app.get(
    '/badge/:file',
    {
      config: { embeddable: true },
      schema: {
        ...docs,
        summary: "The project's status badge: /badge/<badge key>.svg (or .json)",
        params: Type.Object({ file: File }),
      },
    },
    async (request, reply) => {
      const { name, format } = splitFile(request.params.file);
      return answer(reply, name, null, format);
    },
  );

  app.get(
    '/badge/:key/:file',
    {
      config: { embeddable: true },
      schema: {
        ...docs,
        summary: 'The status badge of a tag: /badge/<badge key>/<tag>.svg (or .json)',
        params: Type.Object({ key: Type.String({ maxLength: 64 }), file: File }),
      },
    },
    async (request, reply) => {
      const { name, format } = splitFile(request.params.file);
      return answer(reply, request.params.key, name, format);
    },
  );

  app.get(
    '/badge/:key/check/:file',
    {
      config: { embeddable: true },
      schema: {
        ...docs,
        summary: "One check's status badge: /badge/<badge key>/check/<slug or id>.svg (or .json)",
        params: Type.Object({ key: Type.String({ maxLength: 64 }), file: File }),
      },
    },
    async (request, reply) => {
      const { name, format } = splitFile(request.params.file);
      return answerCheck(reply, request.params.key, name, format);
    },
  );
}
