/**
 * The floor of the HTTP stack: a bare Koa app answering a fixed JSON body. No flapi
 * server can be faster than this on the same machine, so every ratio is taken against it.
 *
 * Usage: PORT=1234 node --import tsx bench/servers/koa-hello.ts
 */
import Koa from 'koa';
import { listenFromEnv } from './listen-from-env.js';

const app = new Koa();
app.use((ctx) => {
  ctx.body = { hello: 'world' };
});

listenFromEnv(app.callback());
