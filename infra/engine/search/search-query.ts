/**
 * Camunda 8.8's search semantics over the projection's tables: filters with the advanced
 * operators (`$eq`, `$gt`, `$in`, `$like`…), `$or` groups, sort with a key tie-break, and both
 * page forms (`from`/`limit`, and the cursors `after`/`before` from `startCursor`/`endCursor`).
 * A resource is described as data ({@link ResourceModel}); the SQL is derived from it.
 */
import type { SearchDb } from './search-database.js';

/** How a field's filter values are read and compared. */
export const FieldKind = {
  KEY: 'key',
  STRING: 'string',
  INTEGER: 'integer',
  DATE: 'date',
  BOOLEAN: 'boolean',
  ENUM: 'enum',
} as const;
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

export interface FieldSpec {
  /** The SQL expression the field is filtered by. */
  sql: string;
  /** What it sorts by when `sql` can be NULL: cursors compare with `=`, which NULL never passes. */
  sortSql?: string;
  kind: FieldKind;
  /** The allowed values of an ENUM field. */
  values?: readonly string[];
  filterable?: boolean;
  sortable?: boolean;
}

export interface ResourceModel<Item> {
  /** What an item is called in messages: "process instance". */
  noun: string;
  from: string;
  select: string;
  /** Always true for an item of this resource (e.g. not deleted); `1` for none. */
  where: string;
  /** The unique key expression: the last sort criterion, so that cursors are exact. */
  key: string;
  fields: Record<string, FieldSpec>;
  toItem(row: Record<string, unknown>): Item;
}

/** Filter values already in their SQL form: keys and dates as numbers, booleans as 0/1. */
export interface Operators {
  $eq?: unknown;
  $neq?: unknown;
  $exists?: boolean;
  $gt?: unknown;
  $gte?: unknown;
  $lt?: unknown;
  $lte?: unknown;
  $in?: unknown[];
  $notIn?: unknown[];
  $like?: string;
}

export type FilterGroup = Record<string, Operators>;

export interface SortCriterion {
  field: string;
  order: 'ASC' | 'DESC';
}

export interface PageRequest {
  limit: number;
  from?: number;
  after?: unknown[];
  before?: unknown[];
}

/** One group of filters, all of which must hold: its fields and the resource's extra conditions. */
export interface FilterAlternative {
  filter: FilterGroup;
  /** Extra SQL conditions a resource adds beyond its fields (e.g. process instance variables). */
  conditions: SqlCondition[];
}

export interface SearchQuery extends FilterAlternative {
  /** Any one of these groups must match as well (Camunda's `$or`). */
  or: FilterAlternative[];
  sort: SortCriterion[];
  page: PageRequest;
}

export interface SearchResult<Item> {
  items: Item[];
  page: { totalItems: number; hasMoreTotalItems: boolean; startCursor?: string; endCursor?: string };
}

/** A WHERE fragment and its parameters. */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/** Turns Camunda's `$like` wildcards (`*`, `?`, backslash escapes) into SQL LIKE with `\` as escape. */
function likePattern(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += escapeLike(pattern[++i]!);
    else if (c === '*') out += '%';
    else if (c === '?') out += '_';
    else out += escapeLike(c);
  }
  return out;
}

function escapeLike(c: string): string {
  return c === '%' || c === '_' || c === '\\' ? `\\${c}` : c;
}

/** The SQL for one field's operators, all of which must hold. */
export function operatorCondition(expression: string, operators: Operators): SqlCondition {
  const parts: string[] = [];
  const params: unknown[] = [];
  const compare = (op: string, value: unknown) => {
    parts.push(`${expression} ${op} ?`);
    params.push(value);
  };
  if (operators.$eq !== undefined) compare('=', operators.$eq);
  if (operators.$neq !== undefined) compare('IS NOT', operators.$neq);
  if (operators.$exists !== undefined) parts.push(`${expression} IS ${operators.$exists ? 'NOT ' : ''}NULL`);
  if (operators.$gt !== undefined) compare('>', operators.$gt);
  if (operators.$gte !== undefined) compare('>=', operators.$gte);
  if (operators.$lt !== undefined) compare('<', operators.$lt);
  if (operators.$lte !== undefined) compare('<=', operators.$lte);
  for (const [op, values] of [['IN', operators.$in], ['NOT IN', operators.$notIn]] as const) {
    if (values === undefined) continue;
    parts.push(values.length ? `${expression} ${op} (${values.map(() => '?').join(', ')})` : op === 'IN' ? '0' : '1');
    params.push(...values);
  }
  if (operators.$like !== undefined) {
    parts.push(`${expression} LIKE ? ESCAPE '\\'`);
    params.push(likePattern(operators.$like));
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

function groupCondition<Item>(model: ResourceModel<Item>, group: FilterAlternative): SqlCondition {
  const fields = Object.entries(group.filter).map(([field, operators]) => operatorCondition(model.fields[field]!.sql, operators));
  const conditions = [...fields, ...group.conditions];
  return { sql: conditions.map((c) => `(${c.sql})`).join(' AND ') || '1', params: conditions.flatMap((c) => c.params) };
}

/** Everything the query's filter demands, as one WHERE clause. */
export function whereClause<Item>(model: ResourceModel<Item>, query: Pick<SearchQuery, 'filter' | 'or' | 'conditions'>): SqlCondition {
  const conditions = [{ sql: model.where, params: [] as unknown[] }, groupCondition(model, query)];
  if (query.or.length) {
    const alternatives = query.or.map((group) => groupCondition(model, group));
    conditions.push({ sql: alternatives.map((a) => `(${a.sql})`).join(' OR '), params: alternatives.flatMap((a) => a.params) });
  }
  return { sql: conditions.map((c) => `(${c.sql})`).join(' AND '), params: conditions.flatMap((c) => c.params) };
}

interface OrderTerm {
  sql: string;
  order: 'ASC' | 'DESC';
}

function orderTerms<Item>(model: ResourceModel<Item>, sort: SortCriterion[]): OrderTerm[] {
  const terms = sort.map((s) => {
    const spec = model.fields[s.field]!;
    return { sql: spec.sortSql ?? spec.sql, order: s.order };
  });
  if (!terms.some((t) => t.sql === model.key)) terms.push({ sql: model.key, order: 'ASC' });
  return terms;
}

/** Rows strictly after (or before) the cursor's values in the sort order: a keyset condition. */
function cursorCondition(terms: OrderTerm[], values: unknown[], direction: 'after' | 'before'): SqlCondition {
  const alternatives: string[] = [];
  const params: unknown[] = [];
  terms.forEach((term, i) => {
    const ascending = (term.order === 'ASC') === (direction === 'after');
    const equal = terms.slice(0, i).map((t) => `${t.sql} = ?`);
    alternatives.push([...equal, `${term.sql} ${ascending ? '>' : '<'} ?`].join(' AND '));
    params.push(...values.slice(0, i), values[i]);
  });
  return { sql: alternatives.map((a) => `(${a})`).join(' OR '), params };
}

/** Standard base64 with padding: Camunda's cursor schema allows no other alphabet. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64');
}

/** @returns undefined when the text is not a cursor of this many sort values. */
export function decodeCursor(text: string, length: number): unknown[] | undefined {
  try {
    const values: unknown = JSON.parse(Buffer.from(text, 'base64').toString());
    return Array.isArray(values) && values.length === length ? values : undefined;
  } catch {
    return undefined;
  }
}

/** How many sort values a cursor of this query carries (the sort plus the key tie-break). */
export function cursorLength<Item>(model: ResourceModel<Item>, sort: SortCriterion[]): number {
  return orderTerms(model, sort).length;
}

export function search<Item>(db: SearchDb, model: ResourceModel<Item>, query: SearchQuery): SearchResult<Item> {
  const where = whereClause(model, query);
  const totalItems = (db.prepare(`SELECT COUNT(*) AS n FROM ${model.from} WHERE ${where.sql}`).get(...where.params) as { n: number }).n;
  const terms = orderTerms(model, query.sort);
  const { page } = query;
  const backwards = page.before !== undefined;
  const cursor = page.after ?? page.before;
  const keyset = cursor ? cursorCondition(terms, cursor, backwards ? 'before' : 'after') : { sql: '1', params: [] };
  const order = terms.map((t) => `${t.sql} ${backwards ? (t.order === 'ASC' ? 'DESC' : 'ASC') : t.order}`).join(', ');
  const sortValues = terms.map((t, i) => `${t.sql} AS __sort${i}`).join(', ');
  const rows = db
    .prepare(`SELECT ${model.select}, ${sortValues} FROM ${model.from} WHERE (${where.sql}) AND (${keyset.sql}) ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...where.params, ...keyset.params, page.limit, page.from ?? 0) as Record<string, unknown>[];
  if (backwards) rows.reverse();
  const cursorOf = (row: Record<string, unknown>) => encodeCursor(terms.map((_, i) => row[`__sort${i}`]));
  const first = rows[0];
  const last = rows.at(-1);
  return {
    items: rows.map((row) => model.toItem(row)),
    page: { totalItems, hasMoreTotalItems: false, ...(first ? { startCursor: cursorOf(first) } : {}), ...(last ? { endCursor: cursorOf(last) } : {}) },
  };
}

/** The one item with this key, or undefined. */
export function getByKey<Item>(db: SearchDb, model: ResourceModel<Item>, key: number): Item | undefined {
  const row = db.prepare(`SELECT ${model.select} FROM ${model.from} WHERE (${model.where}) AND ${model.key} = ?`).get(key) as Record<string, unknown> | undefined;
  return row ? model.toItem(row) : undefined;
}
