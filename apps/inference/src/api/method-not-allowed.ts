import type { Express, RequestHandler } from 'express';
import { errorBodyFor } from './error-handler';

/** What this module reads of an Express 4 router layer. */
interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
  match(path: string): boolean;
}

/**
 * A path that some route serves, asked with a method none of its routes declares, is answered
 * 405 with an `Allow` header naming the methods it has (RFC 9110, section 15.5.6), not 404 as if
 * the path did not exist; OPTIONS answers 204 with the same header. Mounted after the routes and
 * the static files, so it sees only requests nothing answered; paths no route serves go on to the
 * 404 handler. The routes are read from the app's router when the first such request comes.
 */
export function methodNotAllowed(app: Express): RequestHandler {
  let routes: RouteLayer[] | undefined;
  return (request, response, next) => {
    routes ??= (
      (app as unknown as { _router?: { stack: RouteLayer[] } })._router?.stack ?? []
    ).filter((layer) => layer.route);
    const allowed = new Set<string>();
    for (const layer of routes)
      if (layer.match(request.path))
        for (const [method, on] of Object.entries(layer.route?.methods ?? {}))
          if (on) allowed.add(method.toUpperCase());
    if (!allowed.size) return next();
    if (allowed.has('GET')) allowed.add('HEAD');
    const method = request.method.toUpperCase();
    if (allowed.has(method)) return next();
    allowed.add('OPTIONS');
    const allow = [...allowed].sort().join(', ');
    response.setHeader('Allow', allow);
    if (method === 'OPTIONS') {
      response.status(204).end();
      return;
    }
    response
      .status(405)
      .json(
        errorBodyFor(
          request,
          'METHOD_NOT_ALLOWED',
          `${request.path} does not answer ${method}; it answers ${allow}`,
        ),
      );
  };
}
