import Router from '@koa/router';
import type { Services } from '../../context.js';
import { recordLogin, staffById, staffByUsername } from '../../auth/staff.js';
import { invalidCredentials, tooManyRequests } from '../../errors.js';
import { verifyLogin } from '../../auth/passwords.js';
import { validate } from '../../middleware/validate.js';
import { SESSION_COOKIE, actorOf, requireStaff, tokenFrom } from '../../middleware/authenticate.js';
import { loginBody } from './schema.js';
import { presentStaff } from '../../presenters/staff.js';

export function authRoutes(services: Services) {
  const { sessions, limits, config } = services;
  const router = new Router({ prefix: '/api/auth' });

  router.post('/login', validate({ body: loginBody }), async (ctx) => {
    const { username, password } = ctx.input.body;
    const wait = await limits.login.blockedFor(username, ctx.ip);
    if (wait > 0) throw tooManyRequests('登录失败次数过多，请稍后再试', wait);

    const user = await staffByUsername(services, username);
    const ok = await verifyLogin(user?.active ? user.passwordHash : null, password);
    if (!user || !ok) {
      await limits.login.failed(username, ctx.ip);
      ctx.log.warn({ username }, 'login failed');
      throw invalidCredentials();
    }
    await limits.login.succeeded(username, ctx.ip);
    const { token, expiresAt } = await sessions.create(user.id);
    await recordLogin(services, user.id);
    ctx.cookies.set(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.COOKIE_SECURE,
      expires: expiresAt,
      path: '/',
    });
    ctx.body = { token, expiresAt: expiresAt.toISOString(), user: presentStaff(user) };
  });

  router.post('/logout', async (ctx) => {
    const token = tokenFrom(ctx);
    if (token) await sessions.revoke(token);
    ctx.cookies.set(SESSION_COOKIE, null, { path: '/' });
    ctx.status = 204;
  });

  router.get('/me', requireStaff, async (ctx) => {
    const actor = actorOf(ctx);
    const user = await staffById(services, actor.id);
    ctx.body = { user: presentStaff(user!) };
  });

  return router;
}
