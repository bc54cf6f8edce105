/**
 * The compilers of the routes' schemas, shared by every app this process
 * builds. Fastify makes an Ajv instance and a fast-json-stringify serializer
 * per route for each app, and compiling them all is most of what building
 * one costs (about 0.4 s of CPU here). A server builds one app and is
 * unchanged by this; a process that builds many (each test file builds its
 * own) compiled every schema again each time. Ajv keeps what it compiled by
 * the schema object, and the routes' schemas are module constants, so one
 * shared validator pool compiles each once; serializers are kept the same way.
 */
import validatorSelector from '@fastify/ajv-compiler';
import serializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;
type Serialize = (data: unknown) => string;

const buildValidator = validatorSelector();
const buildSerializers = serializerSelector();
/** Serializers by the options and external schemas they were built with, then by response schema. */
const serializers = new Map<string, WeakMap<object, Serialize>>();

const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = buildSerializers(externalSchemas, options);
  const key = JSON.stringify([externalSchemas, options]);
  const bySchema = serializers.get(key) ?? new WeakMap<object, Serialize>();
  serializers.set(key, bySchema);
  return (route) => {
    const schema = route.schema as object;
    const known = bySchema.get(schema);
    if (known) return known;
    const serialize = compile(route) as Serialize;
    bySchema.set(schema, serialize);
    return serialize;
  };
};

/** For `Fastify({ schemaController: { compilersFactory } })`. */
export const compilersFactory: CompilersFactory = { buildValidator, buildSerializer };
