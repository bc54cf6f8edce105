/**
 * Channel configs as TypeBox schemas: the built-in kinds' shapes (their
 * parsers stay the judges, these document them in OpenAPI), and validation
 * of a kind module's config by its own schema, with errors that name the
 * field the way the API reports them (`baseUrl`, `headers.Authorization`).
 */
import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { objectOf } from './config-fields';
import { ChannelConfigError } from './types';

const HttpUrl = (description: string) => Type.String({ format: 'uri', pattern: '^https?://', description });

export const EmailConfigSchema = Type.Object({
  to: Type.Union([Type.String({ format: 'email' }), Type.Array(Type.String({ format: 'email' }), { minItems: 1, maxItems: 10 })], {
    description: 'Recipients: 1 to 10 email addresses (one may be given as a string)',
  }),
});
export const SlackConfigSchema = Type.Object({
  url: HttpUrl('The incoming webhook URL Slack gave. Secret: anyone who holds it can post to the channel.'),
});
export const WebhookConfigSchema = Type.Object({
  url: HttpUrl('Where each alert is POSTed as JSON'),
  secret: Type.Optional(
    Type.Union([Type.String({ minLength: 16, maxLength: 256 }), Type.Null()], {
      description:
        'Signs each body (X-Cronbeat-Signature: sha256=<HMAC-SHA256 of the body>); 16 to 256 characters. Default: null, unsigned',
    }),
  ),
});

type Validator = ReturnType<typeof Compile>;
const validators = new WeakMap<TSchema, Validator>();

/**
 * The config `input` as `schema` accepts it, its defaults filled in; a
 * ChannelConfigError naming the first field that is wrong otherwise.
 * `label` names the kind in messages (`ntfy`).
 */
export function parseWithSchema<Schema extends TSchema>(schema: Schema, label: string, input: unknown): Static<Schema> {
  let validator = validators.get(schema);
  if (!validator) {
    validator = Compile(schema);
    validators.set(schema, validator);
  }
  const config = Value.Default(schema, Value.Clone(objectOf(input)));
  if (validator.Check(config)) return config as Static<Schema>;
  throw configError(label, [...validator.Errors(config)]);
}

interface SchemaIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

function configError(label: string, issues: SchemaIssue[]): ChannelConfigError {
  // `additionalProperties: false` reports each extra key twice (as the false schema, then by name); the named one says more.
  const issue = issues.find((each) => each.keyword !== 'boolean') ?? issues[0];
  if (!issue) return new ChannelConfigError('config', `not a valid ${label} config`);
  const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const at = (child: unknown) => [path, String(child)].filter(Boolean).join('.');
  if (issue.keyword === 'required') {
    const field = at((issue.params.requiredProperties as string[] | undefined)?.[0] ?? '');
    return new ChannelConfigError(field || 'config', `${field} is required for ${label} channels`);
  }
  if (issue.keyword === 'additionalProperties') {
    const field = at((issue.params.additionalProperties as string[] | undefined)?.[0] ?? '');
    return new ChannelConfigError(field || 'config', `${field} is not a setting of ${label} channels`);
  }
  const field = path || 'config';
  return new ChannelConfigError(field, `${field} ${issue.message}`);
}
