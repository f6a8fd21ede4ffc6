/**
 * The parts of OpenAPI 3.0/3.1 and Swagger 2.0 documents the operations are made from, loosely
 * typed: a dereferenced document is read field by field and anything unexpected is skipped.
 */

/** A schema (3.x) or the schema-like fields of a Swagger 2.0 parameter. */
export interface SchemaLike {
  readonly type?: string | readonly string[];
  readonly format?: string;
  readonly example?: unknown;
  /** 3.1 (JSON Schema): a list of examples. */
  readonly examples?: unknown;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly items?: SchemaLike;
  readonly oneOf?: readonly SchemaLike[];
  readonly anyOf?: readonly SchemaLike[];
  readonly allOf?: readonly SchemaLike[];
  readonly minimum?: number;
}

export interface ParameterLike extends SchemaLike {
  readonly name?: string;
  readonly in?: string;
  readonly required?: boolean;
  readonly schema?: SchemaLike;
  readonly content?: Readonly<
    Record<string, { readonly schema?: SchemaLike; readonly example?: unknown }>
  >;
  readonly $ref?: string;
}

export interface SecuritySchemeLike {
  readonly type?: string;
  readonly scheme?: string;
  readonly name?: string;
  readonly in?: string;
}

export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

export interface OperationLike {
  readonly operationId?: string;
  readonly tags?: readonly string[];
  readonly parameters?: readonly ParameterLike[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, unknown>> };
  readonly consumes?: readonly string[];
  readonly security?: readonly SecurityRequirement[];
}

/** A dereferenced OpenAPI 3.x or Swagger 2.0 document, as far as operations need it. */
export interface ApiDocument {
  readonly openapi?: string;
  readonly swagger?: string;
  readonly servers?: readonly {
    readonly url?: string;
    readonly variables?: Readonly<Record<string, { readonly default?: string }>>;
  }[];
  readonly host?: string;
  readonly basePath?: string;
  readonly schemes?: readonly string[];
  readonly consumes?: readonly string[];
  readonly paths?: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;
  readonly security?: readonly SecurityRequirement[];
  readonly components?: {
    readonly securitySchemes?: Readonly<Record<string, SecuritySchemeLike>>;
  };
  readonly securityDefinitions?: Readonly<Record<string, SecuritySchemeLike>>;
}
