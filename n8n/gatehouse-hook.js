'use strict';
/**
 * Gatehouse's n8n external hook: every person Gatehouse signed in at the company IdP is a named n8n user.
 *
 * Gatehouse adds a short-lived signed identity assertion (gatehouse-assertion.js) to each request it forwards. This
 * hook, loaded by n8n through EXTERNAL_HOOK_FILES, puts one middleware in front of every n8n route. With a valid
 * assertion it finds the n8n user by email or creates it, and when the request carries no n8n session for that user
 * it issues n8n's own session cookie through n8n's AuthService and rewrites the request's Cookie header, so n8n's own
 * authentication sees that user on this very request. A bad assertion is answered 401 before n8n sees the request:
 * it means someone reached n8n around the gateway or forged the header. No assertion: n8n's own auth applies.
 *
 * It reaches into n8n's internals (the DI container, AuthService, the user repository, Express's router stack), so
 * it is pinned to the n8n version it was tested with and refuses to run elsewhere; see README.md beside this file.
 */
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');
const { createAssertionVerifier, AssertionRefused, MIN_SECRET_BYTES } = require('./gatehouse-assertion.js');

const TESTED_N8N_VERSION = '2.41.1';
const TAG = 'gatehouse-hook:';
const DEFAULT_HEADER = 'X-Gatehouse-Identity';
const DEFAULT_ROLE = 'global:member';
const OWNER_ROLE = 'global:owner';
// Not a bcrypt hash (those are 60 characters), so n8n's password check answers false whatever is typed: the user has
// no password that works. A null password would instead make n8n show the user as a pending invitation. n8n's own
// OIDC sign-up stores a placeholder the same way.
const NO_PASSWORD = 'gatehouse-sso: no password';
const NAME_COLUMN_LENGTH = 32; // n8n's user.firstName and user.lastName

/** An error that stops n8n from starting, said on stderr too: n8n reports a hook's load failure only in general. */
function setupError(message) {
  const error = new Error(`${TAG} ${message}`);
  console.error(error.message);
  return error;
}

function readSettings(env) {
  const secret = env.GATEHOUSE_HOOK_SECRET ?? '';
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    throw setupError(`GATEHOUSE_HOOK_SECRET must hold at least ${MIN_SECRET_BYTES} bytes (it is ${
      secret === '' ? 'unset' : 'shorter'}); n8n does not start with this hook until it does`);
  }
  const header = (env.GATEHOUSE_HOOK_HEADER ?? DEFAULT_HEADER).trim();
  if (!/^[A-Za-z0-9-]+$/.test(header)) throw setupError('GATEHOUSE_HOOK_HEADER is not an HTTP header name');
  const role = (env.GATEHOUSE_HOOK_ROLE ?? DEFAULT_ROLE).trim();
  if (role === OWNER_ROLE) throw setupError(`GATEHOUSE_HOOK_ROLE must not be ${OWNER_ROLE}: n8n has one owner`);
  return Object.freeze({
    verify: createAssertionVerifier(secret),
    headerName: header,
    headerKey: header.toLowerCase(),
    role,
    allowUntested: env.GATEHOUSE_HOOK_ALLOW_UNTESTED_N8N === '1',
    n8nDir: env.GATEHOUSE_HOOK_N8N_DIR,
  });
}

/** The n8n package this process runs: the nearest package.json named n8n above n8n's start script. */
function locateN8n(explicitDir) {
  const starts = explicitDir ? [explicitDir] : [require.main?.filename, process.argv[1]].filter(Boolean);
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const manifest = path.join(dir, 'package.json');
      if (fs.existsSync(manifest)) {
        const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
        if (pkg.name === 'n8n') return Object.freeze({ dir, version: String(pkg.version) });
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  throw setupError('cannot find the n8n package this hook runs in (looked above n8n\'s start script); '
    + 'set GATEHOUSE_HOOK_N8N_DIR to the folder of n8n\'s package.json');
}

function checkVersion(n8n, allowUntested) {
  if (n8n.version === TESTED_N8N_VERSION) return;
  const message = `this hook was tested with n8n ${TESTED_N8N_VERSION}, not ${n8n.version}: it relies on n8n `
    + 'internals that change between versions';
  if (!allowUntested) {
    throw setupError(`${message}. Test it against ${n8n.version} (Gatehouse's N8nIdentityHookIT), then set `
      + 'GATEHOUSE_HOOK_ALLOW_UNTESTED_N8N=1 to run it anyway');
  }
  console.warn(`${TAG} ${message}; running anyway because GATEHOUSE_HOOK_ALLOW_UNTESTED_N8N=1`);
}

/** n8n's own modules, required from n8n's folder so they are the very instances n8n uses. */
function loadInternals(n8nDir) {
  const fromN8n = createRequire(path.join(n8nDir, 'package.json'));
  const need = (what, load) => {
    let value;
    try {
      value = load();
    } catch (error) {
      throw setupError(`${what} is missing in this n8n (${error.code ?? error.message})`);
    }
    if (value === undefined || value === null) throw setupError(`${what} is missing in this n8n`);
    return value;
  };
  return Object.freeze({
    Container: need("@n8n/di's Container", () => fromN8n('@n8n/di').Container),
    AuthService: need('AuthService (n8n/dist/auth/auth.service)', () => fromN8n('./dist/auth/auth.service').AuthService),
    RoleRepository: need("@n8n/db's RoleRepository", () => fromN8n('@n8n/db').RoleRepository),
    isValidEmail: need("@n8n/db's isValidEmail", () => fromN8n('@n8n/db').isValidEmail),
    authCookieName: need('AUTH_COOKIE_NAME (n8n/dist/constants)', () => fromN8n('./dist/constants').AUTH_COOKIE_NAME),
    // The parser cookie-parser uses, so this hook reads the Cookie header exactly as n8n will.
    parseCookies: need("the cookie module of n8n's cookie-parser",
      () => createRequire(fromN8n.resolve('cookie-parser'))('cookie').parse),
    Logger: optional(() => fromN8n('@n8n/backend-common').Logger),
  });
}

function optional(load) {
  try {
    return load();
  } catch {
    return undefined;
  }
}

function n8nLogger(internals) {
  const logger = internals.Logger && optional(() => internals.Container.get(internals.Logger));
  return logger && typeof logger.info === 'function' && typeof logger.warn === 'function' ? logger : console;
}

const settings = readSettings(process.env);
const n8n = locateN8n(settings.n8nDir);
checkVersion(n8n, settings.allowUntested);
const internals = loadInternals(n8n.dir);
const log = n8nLogger(internals);
log.info(`${TAG} loaded for n8n ${n8n.version}`);

/** Runs once n8n has registered all its routes: checks what the middleware needs, then puts it first. */
async function installOnReady(server) {
  const { Container, AuthService, RoleRepository } = internals;
  const authService = Container.get(AuthService);
  for (const method of ['issueCookie', 'validateCookieToken', 'hash', 'endpointSkipsBrowserIdCheck']) {
    if (typeof authService?.[method] !== 'function') throw setupError(`AuthService.${method} is missing in this n8n`);
  }
  const users = this?.dbCollections?.User;
  if (typeof users?.findOne !== 'function' || typeof users.createUserWithProject !== 'function'
      || typeof users.manager?.transaction !== 'function') {
    throw setupError('the user repository (dbCollections.User: findOne, createUserWithProject, manager.transaction) '
      + 'is missing in this n8n');
  }
  const roles = Container.get(RoleRepository);
  if (typeof roles?.findBySlug !== 'function') throw setupError('RoleRepository.findBySlug is missing in this n8n');
  const role = await roles.findBySlug(settings.role);
  if (!role || role.roleType !== 'global') {
    throw setupError(`GATEHOUSE_HOOK_ROLE ${settings.role} is not a global role of this n8n`);
  }
  const app = server?.app;
  const stack = app?.router?.stack;
  if (typeof app?.use !== 'function' || !Array.isArray(stack)) {
    throw setupError("n8n's Express app (server.app.router.stack) is missing");
  }
  const rest = server.restEndpoint;
  if (typeof rest !== 'string' || rest === '') throw setupError("n8n's REST endpoint (server.restEndpoint) is missing");

  const middleware = createIdentityMiddleware({
    authService, users, roleSlug: role.slug, logoutPath: `/${rest}/logout`.toLowerCase(),
  });
  // First in the stack, ahead of n8n's cookie parser, webhooks and API routers: a forged assertion is refused
  // before any n8n handler runs, and the Cookie header it rewrites is the one cookie-parser then reads.
  app.use(middleware);
  const layer = stack.pop();
  if (layer?.handle !== middleware) throw setupError("could not place the middleware first in Express's router stack");
  stack.unshift(layer);
  log.info(`${TAG} verifying ${settings.headerName} on every request; users it creates get the role ${role.slug}`);
}

function createIdentityMiddleware({ authService, users, roleSlug, logoutPath }) {
  const { authCookieName, parseCookies, isValidEmail } = internals;
  const findByEmail = (email) => users.findOne({ where: { email }, relations: ['role'] });

  async function findOrCreateUser(claims) {
    const email = claims.email.toLowerCase(); // n8n stores emails lower-cased
    const existing = await findByEmail(email);
    if (existing) return existing;
    const [firstName, lastName] = splitName(claims.name);
    try {
      const { user } = await users.manager.transaction((trx) => users.createUserWithProject(
        { email, firstName, lastName, password: NO_PASSWORD, role: { slug: roleSlug } }, trx));
      log.info(`${TAG} created n8n user ${user.id} with the role ${roleSlug} for an SSO identity`);
      return user;
    } catch (error) {
      const createdMeanwhile = await findByEmail(email); // by a parallel first request of the same person
      if (createdMeanwhile) return createdMeanwhile;
      throw error;
    }
  }

  /** True when the request's n8n session is this user's and n8n's own checks will accept it on this request. */
  async function sessionFits(token, user, claims, req, browserId) {
    let cookieUser;
    try {
      cookieUser = await authService.validateCookieToken(token); // signature, expiry, logout deny-list, user hash
    } catch {
      return false;
    }
    if (cookieUser?.id !== user.id) return false;
    const session = jwtPayload(token); // verified just above
    if (!session) return false;
    if (claims.mfa && session.usedMfa !== true) return false;
    if (session.browserId) {
      const sameBrowser = Boolean(browserId) && session.browserId === authService.hash(browserId);
      if (!sameBrowser && !(req.method === 'GET' && skipsBrowserIdCheck(req.path))) return false;
    }
    return true;
  }

  // n8n skips its browser-id check on a few GET endpoints (push, binary data, OAuth callbacks) matched on the route.
  function skipsBrowserIdCheck(requestPath) {
    return authService.endpointSkipsBrowserIdCheck(requestPath)
      || (!requestPath.endsWith('/') && authService.endpointSkipsBrowserIdCheck(`${requestPath}/`));
  }

  async function signIn(claims, req, res) {
    const user = await findOrCreateUser(claims);
    if (user.disabled) return 'disabled';
    const browserId = typeof req.headers['browser-id'] === 'string' ? req.headers['browser-id'] : undefined;
    const current = parseCookies(req.headers.cookie ?? '')[authCookieName];
    if (current && await sessionFits(current, user, claims, req, browserId)) return 'kept';
    authService.issueCookie(res, user, claims.mfa, browserId);
    const token = issuedToken(res, authCookieName);
    if (!token) throw new Error('AuthService.issueCookie set no session cookie');
    req.headers.cookie = withCookie(req.headers.cookie, authCookieName, token);
    if (req.cookies && typeof req.cookies === 'object') req.cookies[authCookieName] = token;
    return 'issued';
  }

  return function gatehouseIdentity(req, res, next) {
    const value = req.headers[settings.headerKey];
    if (value === undefined) {
      next();
      return;
    }
    removeHeader(req, settings.headerKey); // n8n, its workflows and their execution data never see it
    let claims;
    try {
      claims = settings.verify(value, Date.now());
      if (!isValidEmail(claims.email.toLowerCase())) throw new AssertionRefused('invalid_email');
    } catch (error) {
      if (error instanceof AssertionRefused) {
        log.warn(`${TAG} refused a request: identity assertion ${error.reason}`);
        answer(res, 401, 'gatehouse_assertion_invalid');
      } else {
        log.error(`${TAG} could not check an identity assertion (${error?.name ?? 'error'})`);
        answer(res, 500, 'gatehouse_hook_failed');
      }
      return;
    }
    if (req.method === 'POST' && normalizedPath(req.path) === logoutPath) {
      next(); // n8n's own sign-out: it invalidates the cookie the request carries
      return;
    }
    signIn(claims, req, res).then((outcome) => {
      if (outcome === 'disabled') {
        log.warn(`${TAG} refused a request: the asserted n8n user is disabled`);
        answer(res, 401, 'gatehouse_user_disabled');
      } else {
        next();
      }
    }, (error) => {
      log.error(`${TAG} could not sign in an asserted identity (${error?.name ?? 'error'}${
        error?.code ? ` ${error.code}` : ''})`);
      answer(res, 500, 'gatehouse_hook_failed');
    });
  };
}

function splitName(name) {
  const parts = typeof name === 'string' ? name.trim().split(/\s+/).filter(Boolean) : [];
  const column = (text) => (text ? Array.from(text).slice(0, NAME_COLUMN_LENGTH).join('') : undefined);
  return [column(parts[0]), column(parts.slice(1).join(' '))];
}

function removeHeader(req, key) {
  delete req.headers[key];
  const raw = req.rawHeaders;
  const kept = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i].toLowerCase() !== key) kept.push(raw[i], raw[i + 1]);
  }
  req.rawHeaders = kept;
}

function normalizedPath(requestPath) {
  const lower = String(requestPath).toLowerCase(); // Express matches n8n's routes case-insensitively
  return lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
}

/** The payload of an n8n session JWT whose signature n8n has already verified. */
function jwtPayload(token) {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** The value of the last Set-Cookie for `name` on the response (Express encodes it with encodeURIComponent). */
function issuedToken(res, name) {
  const header = res.getHeader('Set-Cookie');
  const cookies = Array.isArray(header) ? header : header ? [String(header)] : [];
  for (let i = cookies.length - 1; i >= 0; i--) {
    const pair = cookies[i].split(';', 1)[0];
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return decodeURIComponent(pair.slice(eq + 1));
  }
  return undefined;
}

/** The Cookie header with every `name` pair replaced by one carrying `value`. */
function withCookie(header, name, value) {
  const kept = String(header ?? '').split(';').map((pair) => pair.trim())
    .filter((pair) => pair !== '' && pair.split('=', 1)[0].trim() !== name);
  kept.push(`${name}=${value}`);
  return kept.join('; ');
}

function answer(res, status, error) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify({ error }));
}

module.exports = { n8n: { ready: [installOnReady] } };
