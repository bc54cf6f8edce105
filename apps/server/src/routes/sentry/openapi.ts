import type { FastifySchema } from 'fastify';
import { Type } from 'typebox';

/** The OpenAPI description of the Sentry routes; the routes judge their input themselves (see index.ts). */

const tags = ['Sentry Crons'];
const Detail = Type.Object({ detail: Type.String({ description: 'what is wrong, in words' }) });
const ref = Type.String({ description: "the project's Sentry reference: the digits at the end of its DSN" });
const refusals = {
  400: { description: 'the envelope, a check-in or its monitor_config cannot be used; `detail` names the field', ...json(Detail) },
  401: { description: 'no sentry_key was sent', ...json(Detail) },
  403: {
    description: "the key is not this project's, or a monitor_config would pass the project's limit of checks made by pings",
    ...json(Detail),
  },
  413: { description: 'the body is larger than 1 MB (also once decompressed)', ...json(Detail) },
  429: { description: 'monitor_config made too many checks in this project in the last minute; see Retry-After', ...json(Detail) },
  503: { description: 'the check-in could not be stored now; send it again after Retry-After seconds', ...json(Detail) },
};

function json(schema: object) {
  return { content: { 'application/json': { schema } } };
}

export const envelopeDocs: FastifySchema = {
  summary: 'Sentry envelope: check-ins from a Sentry SDK',
  description:
    "What a Sentry SDK sends when its DSN is the project's (`http://<sentry-key>@<host>/<sentry-ref>`). `check_in` items are pings: " +
    '`in_progress` starts a run, `ok` ends it, `error` fails it, `check_in_id` pairs them; `monitor_config` creates or updates the check. ' +
    'One check per monitor and environment: the monitor slug in `production`, `<monitor-slug>--<environment>` elsewhere. Other items ' +
    '(errors, sessions, transactions, client reports) are accepted and dropped. Key in `X-Sentry-Auth` or `?sentry_key=`; gzip, deflate or br bodies.',
  tags,
  security: [],
  params: Type.Object({ ref }),
  querystring: Type.Object({
    sentry_key: Type.Optional(Type.String({ description: 'the DSN key, when no X-Sentry-Auth header carries it' })),
  }),
  response: {
    200: { description: 'accepted: its check-ins are stored', ...json(Type.Object({ id: Type.Optional(Type.String()) })) },
    ...refusals,
  },
};

/** The HTTP form's POST: a JSON body may give the fields and a monitor_config. */
export const httpCheckInDocs: FastifySchema = {
  summary: "Sentry's HTTP check-in",
  description:
    "Sentry Crons' plain HTTP form: `?status=in_progress|ok|error`, optional `check_in_id`, `environment` and `duration`; a JSON body may " +
    'give the same fields and a `monitor_config`, which creates or updates the check.',
  tags,
  security: [],
  body: Type.Optional(
    Type.Object({
      status: Type.Optional(Type.String()),
      check_in_id: Type.Optional(Type.String()),
      environment: Type.Optional(Type.String()),
      duration: Type.Optional(Type.Number()),
      monitor_config: Type.Optional(
        Type.Object(
          {},
          {
            description:
              'schedule ({type: "crontab", value} or {type: "interval", value, unit}), timezone, checkin_margin and max_runtime (minutes), failure_issue_threshold, recovery_threshold',
            additionalProperties: true,
          },
        ),
      ),
    }),
  ),
  params: Type.Object({
    ref,
    monitor: Type.String({ description: "the monitor's slug" }),
    key: Type.String({ description: "the DSN's key" }),
  }),
  querystring: Type.Object({
    status: Type.Optional(Type.String({ description: '`in_progress`, `ok` or `error`' })),
    check_in_id: Type.Optional(Type.String({ description: 'a UUID pairing the in_progress check-in with its end' })),
    environment: Type.Optional(Type.String({ description: 'default `production`; each environment is a check of its own' })),
    duration: Type.Optional(Type.String({ description: 'seconds the run took; counts when no in_progress check-in pairs with this end' })),
  }),
  response: {
    202: { description: 'the check-in is stored', ...json(Type.Object({})) },
    404: { description: 'no check stands for this monitor and environment, and no monitor_config came to create it', ...json(Detail) },
    ...refusals,
  },
};

/** The HTTP form's GET (curl's default): the same, from the query string only. */
export const httpCheckInGetDocs: FastifySchema = (({ body: _body, ...rest }) => ({
  ...rest,
  summary: "Sentry's HTTP check-in (GET)",
  description:
    "Sentry Crons' plain HTTP form as `curl` sends it: `?status=in_progress|ok|error`, optional `check_in_id`, `environment` and `duration`.",
}))(httpCheckInDocs);
