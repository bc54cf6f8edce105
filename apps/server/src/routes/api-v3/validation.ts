import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { HealthchecksError } from './errors';

interface SchemaIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

/** Healthchecks' messages for a field of the wrong type or out of bounds (its CUSTOM_ERRORS), by JSON Schema keyword. */
const MESSAGES: Record<string, string> = {
  maxLength: 'is too long',
  pattern: 'does not match pattern',
  maximum: 'is too large',
  minimum: 'is too small',
  const: 'has unexpected value',
  anyOf: 'has unexpected value',
  enum: 'has unexpected value',
};
const TYPE_MESSAGES: Record<string, string> = {
  string: 'is not a string',
  integer: 'is not a number',
  number: 'is not a number',
  boolean: 'is not a boolean',
  array: 'is not an array',
};

/** `json validation error: timeout is too small`, as Healthchecks words the first thing wrong with a body. */
function bodyError(issue: SchemaIssue | undefined): HealthchecksError {
  const [field, item] = (issue?.instancePath ?? '').replace(/^\//, '').split('/');
  if (!issue || !field) return new HealthchecksError(400, 'json validation error: value is not an object');
  const subject = item === undefined ? field : `an item in '${field}'`;
  const message = issue.keyword === 'type' ? TYPE_MESSAGES[String(issue.params.type)] : MESSAGES[issue.keyword];
  return new HealthchecksError(400, `json validation error: ${subject} ${message ?? 'is not valid'}`);
}

/**
 * The validator of /api/v3: TypeBox, strict as Healthchecks' validation is
 * (no "60" for 60, null is not a value), instead of Fastify's Ajv, which
 * coerces. An empty body is `{}` (pause and resume are sent without one).
 * Unknown fields pass, as Healthchecks ignores them.
 */
export const healthchecksValidator: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
  const validator = Compile(schema as TSchema);
  return (data: unknown) => {
    if (httpPart === 'body') {
      const body = data ?? {};
      if (typeof body !== 'object' || Array.isArray(body)) return { error: bodyError(undefined) };
      if (validator.Check(body)) return { value: body };
      return { error: bodyError(validator.Errors(body).find((issue) => issue.instancePath !== '')) };
    }
    if (validator.Check(data)) return { value: data };
    const [issue] = validator.Errors(data);
    const field = issue?.instancePath.replace(/^\//, '') || httpPart || 'request';
    return { error: new HealthchecksError(httpPart === 'params' ? 404 : 400, `${field}: is not valid`) };
  };
};
