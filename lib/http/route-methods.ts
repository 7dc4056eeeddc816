import type { Application } from 'express';

/** What of an Express router's stack is read here: each layer is a route, a mounted router, or plain middleware. */
interface RouterLayer {
  match(path: string): false | { path: string };
  route?: { methods: Record<string, boolean> };
  handle: { stack?: unknown };
}

/**
 * The methods the app has routes for at `path`, as an `Allow` header lists them (RFC 9110 §10.2.1):
 * upper case, sorted, `HEAD` wherever `GET` is (Express answers it). Empty when no route has the path.
 * Routers mounted with `use` are searched below their mount path, as Express dispatches to them.
 */
export function routeMethodsOf(app: Application, path: string): string[] {
  const methods = new Set<string>();
  collectMethods(app.router.stack as unknown as RouterLayer[], path, methods);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function collectMethods(stack: readonly RouterLayer[], path: string, methods: Set<string>): void {
  for (const layer of stack) {
    const match = matchOf(layer, path);
    if (!match) continue;
    if (layer.route) {
      // `_all` marks a route for every method: it would have answered, so it names none.
      for (const method of Object.keys(layer.route.methods)) if (method !== '_all') methods.add(method.toUpperCase());
    } else if (Array.isArray(layer.handle.stack)) {
      collectMethods(layer.handle.stack as RouterLayer[], path.slice(match.path.length) || '/', methods);
    }
  }
}

/** A path that does not decode matches no route (the router answered it with a URIError already). */
function matchOf(layer: RouterLayer, path: string): false | { path: string } {
  try {
    return layer.match(path);
  } catch {
    return false;
  }
}
