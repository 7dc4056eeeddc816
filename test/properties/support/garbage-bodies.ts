/**
 * Malformed request bodies and headers as fast-check arbitraries, each derived from one valid body
 * so every field gets its turn: a wrong type, a missing field, an unknown field, deep nesting, a huge
 * string or array, a body past the size limit, bytes that are not UTF-8 or not JSON, and content
 * types the API does not take.
 */
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** A body to send and what was done to the valid one. */
export interface GarbageBody {
  body: string | Uint8Array;
  contentType: string;
  description: string;
}

export interface GarbageOptions {
  /** The express.json limit of the API, in bytes; a body past it must be refused 413. */
  limitBytes: number;
  /** Whether every field of `valid` is required (a missing one is then a violation). */
  allRequired?: boolean;
  /** Whether unknown fields are refused (strict schemas); the engine's REST API ignores them. */
  strict?: boolean;
  /** True for a body the API would accept: random JSON that happens to be valid is not garbage. */
  isValid?: (body: unknown) => boolean;
}

function jsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Every path into `value`, objects and arrays included, the root excluded. */
export function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((child, index) => [index, child]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

function getAt(value: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key]!, value);
}

/** A copy of `value` with the node at `path` replaced, or removed when `replacement` is undefined. */
function withAt(value: Json, path: Path, replacement: Json | undefined): Json {
  const copy = structuredClone(value);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, Json>;
  const key = path[path.length - 1]!;
  if (replacement !== undefined) parent[key] = replacement;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
  return copy;
}

const show = (path: Path) => path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('').replace(/^\./, '');

function nested(depth: number, leaf: Json, asObject: boolean): Json {
  let node = leaf;
  for (let i = 0; i < depth; i++) node = asObject ? { n: node } : [node];
  return node;
}

/** Bytes no UTF-8 decoder accepts, spliced into something that otherwise looks like JSON. */
const invalidUtf8 = [[0xc3, 0x28], [0xff], [0xe2, 0x82], [0xf0, 0x28, 0x8c, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf]] as const;

/** Offsets just after a `{`, `[`, `:` or `,` outside any string of an ASCII JSON text. */
function positionsBetweenTokens(json: string): number[] {
  const positions: number[] = [];
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const char = json[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if ('{[:,'.includes(char!)) positions.push(i + 1);
  }
  return positions;
}

/** Content types the JSON APIs must refuse or ignore (never parse as JSON and fail). */
export const unsupportedContentTypes = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/json; charset=iso-8859-1',
  'application/json; charset=utf-16',
  'application/json; charset=no-such-charset',
  'application/octet-stream',
  'image/png',
  '*/*',
  'application/',
  ';;;',
] as const;

/** Random JSON documents, and documents with a wrong, missing, extra, deep or huge field of `valid`. */
export function garbageJson(valid: Json, options: GarbageOptions): fc.Arbitrary<{ body: Json; description: string }> {
  const paths = pathsOf(valid);
  const strings = paths.filter((path) => typeof getAt(valid, path) === 'string');
  const objects: Path[] = [[], ...paths.filter((path) => jsonType(getAt(valid, path)) === 'object')];
  const pathArb = fc.constantFrom(...paths);
  const choices: fc.Arbitrary<{ body: Json; description: string }>[] = [
    fc.jsonValue({ maxDepth: 4 }).map((body) => ({ body: body as Json, description: 'random JSON' })),
    fc
      .tuple(pathArb, fc.jsonValue({ maxDepth: 3 }))
      .filter(([path, value]) => jsonType(value) !== jsonType(getAt(valid, path)))
      .map(([path, value]) => ({ body: withAt(valid, path, value as Json), description: `${show(path)} of the wrong type` })),
    fc
      .tuple(pathArb, fc.integer({ min: 50, max: Math.min(2_000, Math.floor(options.limitBytes / 8)) }), fc.boolean())
      .map(([path, depth, asObject]) => ({ body: withAt(valid, path, nested(depth, 1, asObject)), description: `${show(path)} nested ${depth} deep` })),
    fc
      .tuple(pathArb, fc.integer({ min: 101, max: 500 }))
      .map(([path, length]) => {
        // An array field gets more valid elements than allowed; any other field an array where none belongs.
        const node = getAt(valid, path);
        const element = Array.isArray(node) ? node[0]! : node;
        return { body: withAt(valid, path, Array.from({ length }, () => structuredClone(element))), description: `${show(path)} as an array of ${length}` };
      }),
  ];
  if (strings.length) {
    const maxLength = Math.min(50_000, options.limitBytes - JSON.stringify(valid).length - 100);
    choices.push(
      fc
        .tuple(fc.constantFrom(...strings), fc.integer({ min: 1_000, max: maxLength }), fc.constantFrom('x', '9', 'é', '\u0000', '"'))
        .map(([path, length, unit]) => ({ body: withAt(valid, path, unit.repeat(length)), description: `${show(path)} a string of ${length}` })),
    );
  }
  if (options.allRequired) {
    choices.push(pathArb.filter((path) => !Array.isArray(getAt(valid, path.slice(0, -1)))).map((path) => ({ body: withAt(valid, path, undefined), description: `${show(path)} missing` })));
  }
  if (options.strict) {
    choices.push(
      fc
        .tuple(fc.constantFrom(...objects), fc.string({ minLength: 1, maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }))
        .filter(([path, key]) => !(key in (getAt(valid, path) as object)) && key !== '__proto__')
        .map(([path, key, value]) => {
          const copy = structuredClone(valid);
          (getAt(copy, path) as Record<string, Json>)[key] = value as Json;
          return { body: copy, description: `unknown field ${JSON.stringify(key)} at ${show(path) || 'the top'}` };
        }),
    );
  }
  const isValid = options.isValid ?? (() => false);
  return fc.oneof(...choices).filter(({ body }) => !isValid(body));
}

/**
 * Every kind of bad body: malformed JSON documents (sent as JSON), bodies past the limit, bytes
 * that are not UTF-8 or not JSON, and valid JSON sent with a content type the API does not take.
 */
export function garbageBody(valid: Json, options: GarbageOptions): fc.Arbitrary<GarbageBody> {
  const json = garbageJson(valid, options).map(({ body, description }) => ({ body: JSON.stringify(body), contentType: 'application/json', description }));
  const tooLarge = fc
    // Up to three times the limit, but never more than 256 KB past it: a larger body proves nothing more.
    .tuple(fc.integer({ min: 1, max: Math.min(3 * options.limitBytes, 256 * 1024) }), fc.constantFrom('application/json', 'application/json; charset=utf-8'))
    .map(([extra, contentType]) => {
      const body = JSON.stringify({ ...(valid as object), padding: 'p'.repeat(options.limitBytes + extra) });
      return { body, contentType, description: `${body.length} bytes, past the ${options.limitBytes}-byte limit` };
    });
  // Between tokens, where the decoder's replacement character cannot be part of a string.
  const text = Buffer.from(JSON.stringify(valid));
  const notUtf8 = fc
    .tuple(fc.constantFrom(...invalidUtf8), fc.constantFrom(...positionsBetweenTokens(text.toString())))
    .map(([bytes, cut]) => {
      return { body: Buffer.concat([text.subarray(0, cut), Buffer.from(bytes), text.subarray(cut)]), contentType: 'application/json', description: `invalid UTF-8 ${Buffer.from(bytes).toString('hex')} at byte ${cut}` };
    });
  const randomBytes = fc.uint8Array({ minLength: 1, maxLength: 500 }).map((bytes) => ({ body: bytes, contentType: 'application/json', description: `${bytes.length} random bytes` }));
  const notJson = fc
    .constantFrom('{', '{"a":', "{'single': 'quotes'}", '[1,2', 'undefined', 'NaN', '{"a":1}}', '<xml/>', 'null', '"a string"', '42', 'true', '{"a":1,}', '\uFEFF{}')
    .map((text) => ({ body: text, contentType: 'application/json', description: `not a JSON object: ${text}` }));
  const wrongType = fc.constantFrom(...unsupportedContentTypes).map((contentType) => ({ body: JSON.stringify(valid), contentType, description: `a valid body as ${contentType}` }));
  return fc.oneof(
    { arbitrary: json, weight: 6 },
    { arbitrary: tooLarge, weight: 1 },
    { arbitrary: notUtf8, weight: 1 },
    { arbitrary: randomBytes, weight: 1 },
    { arbitrary: notJson, weight: 1 },
    { arbitrary: wrongType, weight: 1 },
  );
}

/** Header values fetch can send: printable ASCII, no leading or trailing space (it would be trimmed). */
export function headerValue(options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> {
  const printable = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));
  return fc.string({ unit: fc.oneof({ arbitrary: printable, weight: 9 }, { arbitrary: fc.constant(' '), weight: 1 }), minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 80 }).map((value) => value.trim());
}

/** A client resolves dot segments (`..`, `%2e`) before sending, so they never reach the server as such. */
const isDotSegment = (segment: string) => /^(?:\.|%2e){1,2}$/i.test(segment);

/** Path segments a client might send: random text (percent-encoded or raw), malformed escapes, very long ones. */
export function pathSegment(): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
      fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2F', '%C0%AF', '%FF%FE', ';', '{}', '$', '*', '%25', '+'),
      fc.integer({ min: 300, max: 2_000 }).map((length) => 'a'.repeat(length)),
      fc.uuid(),
    )
    .filter((segment) => !isDotSegment(segment));
}

/** Query strings: random pairs, repeated keys, malformed escapes, huge values. */
export function queryString(): fc.Arbitrary<string> {
  const pair = fc.tuple(fc.oneof(fc.constantFrom('orderId', 'status', 'page', 'pageSize', 'orderId[]', 'orderId[a]'), fc.string({ maxLength: 10 })), fc.oneof(fc.string({ maxLength: 40 }), fc.uuid(), fc.integer().map(String)));
  return fc.oneof(
    fc.array(pair, { maxLength: 5 }).map((pairs) => pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')),
    fc.constantFrom('orderId=%', 'orderId=%zz', '=', '&&&', 'orderId', 'orderId=a&orderId=b', 'page=-1', 'page=1e309', 'pageSize=0x10', `orderId=${'9'.repeat(5_000)}`),
  );
}
