import { type Static, type TSchemaOptions, type TUnsafe, Type } from 'typebox';

/**
 * One of `values`, each a JSON Schema `const`, so OpenAPI lists them; its
 * type is their union (TypeBox's own union type needs a tuple, and the
 * domain's lists, such as core's STATUSES, are arrays).
 */
export const oneOf = <const Value extends string>(values: readonly Value[], options?: TSchemaOptions): TUnsafe<Value> =>
  Type.Unsafe<Value>(
    Type.Union(
      values.map((value) => Type.Literal(value)),
      options,
    ),
  );

export const Uuid = Type.String({ format: 'uuid' });
/**
 * Always UTC, e.g. `2026-01-31T23:59:00.000Z`. In requests any RFC 3339
 * offset is taken, for an instant from year 0001 to 9999.
 */
export const Timestamp = Type.String({ format: 'date-time' });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export const IdParams = Type.Object({ id: Uuid });
export const ProjectParams = Type.Object({ projectId: Uuid });

/** The API's one error shape: a code to act on, a message for people, and per-field messages for forms. */
export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    fields: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
});

/** Error answers every authenticated route can give, for the OpenAPI document. */
export const authErrors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  429: ErrorResponse,
};

export type ErrorResponse = Static<typeof ErrorResponse>;

/**
 * An integer or null, as one JSON Schema type list rather than a union:
 * Ajv coerces types, and a union that tries Null first turns 0 (or false)
 * into null, so an out-of-range 0 would silently switch a setting off.
 */
export const nullableInteger = (limits: { min: number; max: number }, description: string) =>
  Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: limits.min, maximum: limits.max, description });
