/**
 * Reads a Camunda 8.8 search request body (`filter`, `sort`, `page`) with zod, from the resource's
 * field descriptions: a field takes its plain value (equality) or an advanced filter object
 * (`{ "$gt": …, "$lt": … }`), keys as decimal strings, dates as ISO 8601. Any unknown field or bad
 * value is a 400 naming it.
 */
import { z } from 'zod';
import {
  cursorLength,
  decodeCursor,
  FieldKind,
  type FieldSpec,
  type FilterAlternative,
  type FilterGroup,
  type Operators,
  type ResourceModel,
  type SearchQuery,
  type SqlCondition,
} from '../search/search-query.js';
import { invalidArgument, validationProblem } from './rest-errors.js';

/** Camunda's default and largest page sizes. */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 10_000;

/** A key as Camunda 8.8 sends it: a decimal string (a number is accepted too). */
export const keySchema = z
  .union([z.string().regex(/^\d+$/, 'Expected a key: a decimal number as a string'), z.number().int().nonnegative()])
  .transform((value) => Number(value));

const dateSchema = z.iso.datetime({ offset: true, error: 'Expected an ISO 8601 date-time, e.g. 2025-01-31T10:00:00Z' }).transform((value) => Date.parse(value));

function valueSchema(spec: FieldSpec): z.ZodType<unknown> {
  switch (spec.kind) {
    case FieldKind.KEY:
      return keySchema;
    case FieldKind.INTEGER:
      return z.number().int();
    case FieldKind.DATE:
      return dateSchema;
    case FieldKind.ENUM:
      return z.enum(spec.values as [string, ...string[]]);
    case FieldKind.BOOLEAN:
      return z.boolean().transform((b) => (b ? 1 : 0));
    default:
      return z.string();
  }
}

/** Which advanced operators each kind of field takes, as in Camunda's filter property types. */
function advancedSchema(spec: FieldSpec, value: z.ZodType<unknown>) {
  const ordered = spec.kind === FieldKind.INTEGER || spec.kind === FieldKind.DATE;
  const textual = spec.kind === FieldKind.STRING || spec.kind === FieldKind.ENUM;
  return z
    .strictObject({
      $eq: value.optional(),
      $neq: value.optional(),
      $exists: z.boolean().optional(),
      $in: z.array(value).optional(),
      ...(ordered ? { $gt: value.optional(), $gte: value.optional(), $lt: value.optional(), $lte: value.optional() } : {}),
      ...(spec.kind === FieldKind.KEY || spec.kind === FieldKind.STRING ? { $notIn: z.array(value).optional() } : {}),
      ...(textual ? { $like: z.string().optional() } : {}),
    })
    .transform((operators) => Object.fromEntries(Object.entries(operators).filter(([, v]) => v !== undefined)) as Operators);
}

/** A filter property: the plain value means `$eq`. */
export function filterPropertySchema(spec: FieldSpec): z.ZodType<Operators> {
  const value = valueSchema(spec);
  if (spec.kind === FieldKind.BOOLEAN) return value.transform((v) => ({ $eq: v }));
  return z.union([value.transform((v): Operators => ({ $eq: v })), advancedSchema(spec, value)], {
    error: `Expected ${describeValue(spec)} or an advanced filter object ($eq, $in, …)`,
  });
}

function describeValue(spec: FieldSpec): string {
  switch (spec.kind) {
    case FieldKind.KEY:
      return 'a key (a decimal number as a string)';
    case FieldKind.INTEGER:
      return 'an integer';
    case FieldKind.DATE:
      return 'an ISO 8601 date-time';
    case FieldKind.ENUM:
      return `one of ${spec.values!.join(', ')}`;
    default:
      return 'a string';
  }
}

function filterGroupSchema(fields: Record<string, FieldSpec>, extra: z.ZodRawShape) {
  const shape: Record<string, z.ZodType<unknown>> = {};
  for (const [name, spec] of Object.entries(fields)) if (spec.filterable !== false) shape[name] = filterPropertySchema(spec).optional();
  return z.strictObject({ ...shape, ...extra });
}

function sortSchema(fields: Record<string, FieldSpec>) {
  const sortable = Object.entries(fields).filter(([, spec]) => spec.sortable !== false).map(([name]) => name);
  return z.array(
    z.strictObject({
      field: z.enum(sortable as [string, ...string[]]),
      order: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['ASC', 'DESC'])).default('ASC'),
    }),
  );
}

const pageSchema = z
  .strictObject({
    from: z.number().int().nonnegative().optional(),
    limit: z.number().int().min(0).max(MAX_PAGE_LIMIT).optional(),
    after: z.string().min(1).optional(),
    before: z.string().min(1).optional(),
  })
  .refine((page) => [page.from !== undefined, page.after !== undefined, page.before !== undefined].filter(Boolean).length <= 1, {
    error: 'Expected either from, after or before, but more than one was given',
  });

/** What a resource's search accepts beyond its fields; `conditions` turns them into SQL. */
export interface SearchExtension<Extra> {
  shape: z.ZodRawShape;
  conditions(extra: Extra): SqlCondition[];
}

export interface SearchRequestOptions<Extra> {
  /** Accepts Camunda's `$or` list of alternative filter groups. */
  or?: boolean;
  extension?: SearchExtension<Extra>;
}

/** Builds the parser of one resource's search request. */
export function searchRequestParser<Item, Extra = Record<string, never>>(model: ResourceModel<Item>, options: SearchRequestOptions<Extra> = {}) {
  const extensionShape = options.extension?.shape ?? {};
  const group = filterGroupSchema(model.fields, extensionShape);
  const filter = filterGroupSchema(model.fields, { ...extensionShape, ...(options.or ? { $or: z.array(group).optional() } : {}) });
  const schema = z.strictObject({ filter: filter.optional(), sort: sortSchema(model.fields).optional(), page: pageSchema.optional() }).nullish();
  const extensionNames = new Set(['$or', ...Object.keys(extensionShape)]);

  /** @throws RestProblemError (400) naming the first bad fields. */
  return (body: unknown): SearchQuery => {
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) throw validationProblem(parsed.error);
    const request = parsed.data ?? {};
    const rawFilter = (request.filter ?? {}) as Record<string, unknown>;
    /** A group's own fields, and the extension's conditions for what else it says. */
    const alternative = (raw: Record<string, unknown>): FilterAlternative => ({
      filter: Object.fromEntries(Object.entries(raw).filter(([name, v]) => !extensionNames.has(name) && v !== undefined)) as FilterGroup,
      conditions: options.extension ? options.extension.conditions(raw as Extra) : [],
    });
    const sort = (request.sort ?? []) as SearchQuery['sort'];
    const page = request.page ?? {};
    const cursor = (name: 'after' | 'before', text: string | undefined) => {
      if (text === undefined) return undefined;
      const values = decodeCursor(text, cursorLength(model, sort));
      if (!values) throw invalidArgument(`Expected page.${name} to be a cursor from a previous answer with the same sort, but it is not`);
      return values;
    };
    return {
      ...alternative(rawFilter),
      or: ((rawFilter.$or as Record<string, unknown>[] | undefined) ?? []).map(alternative),
      sort,
      page: {
        limit: page.limit ?? DEFAULT_PAGE_LIMIT,
        ...(page.from !== undefined ? { from: page.from } : {}),
        ...(page.after !== undefined ? { after: cursor('after', page.after) } : {}),
        ...(page.before !== undefined ? { before: cursor('before', page.before) } : {}),
      },
    };
  };
}
