import Router from '@koa/router';
import type { Services } from '../../context.js';
import { buildOpenApi } from './document.js';

const docsPage = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>API 文档</title>
<style>body{font-family:system-ui,"WenQuanYi Micro Hei",sans-serif;margin:2rem;max-width:1100px}h2{border-bottom:1px solid #ddd}
.op{margin:.6rem 0;padding:.5rem .8rem;border:1px solid #e5e5e5;border-radius:6px}.m{display:inline-block;width:4.5rem;font-weight:bold;text-transform:uppercase}
.get{color:#1677ff}.post{color:#389e0d}.put{color:#d48806}.delete{color:#cf1322}pre{background:#f7f7f7;padding:.5rem;overflow:auto;font-size:12px}</style>
<h1>城管热线受理服务 API</h1><p>机器可读文档：<a href="/openapi.json">/openapi.json</a>（OpenAPI 3.1，由 zod 模式生成）</p><div id="ops">加载中…</div>
<script src="/docs.js"></script></html>`;

/** The page's script is served as a file: the Content-Security-Policy allows no inline script. */
const docsScript = `fetch('/openapi.json').then(r=>r.json()).then(doc=>{const tags={};for(const [p,ms] of Object.entries(doc.paths))for(const [m,op] of Object.entries(ms))(tags[op.tags[0]]??=[]).push([m,p,op]);
const el=document.getElementById('ops');el.textContent='';for(const [t,list] of Object.entries(tags)){const h=document.createElement('h2');h.textContent=t;el.append(h);
for(const [m,p,op] of list){const d=document.createElement('details');d.className='op';const s=document.createElement('summary');s.innerHTML='<span class="m '+m+'"></span><code></code> ';
s.querySelector('.m').textContent=m;s.querySelector('code').textContent=p;s.append(op.summary);d.append(s);const pre=document.createElement('pre');pre.textContent=JSON.stringify({parameters:op.parameters,requestBody:op.requestBody},null,2);d.append(pre);el.append(d);}}});`;

export function openApiRoutes(_services: Services) {
  const router = new Router();
  // Built from the routers mounted on this very app, so it lists exactly what the app serves; the routers
  // are fixed once the app serves, so it is built on the first request and kept.
  let document: ReturnType<typeof buildOpenApi> | undefined;
  router.get('/openapi.json', (ctx) => {
    document ??= buildOpenApi(ctx.app);
    ctx.body = document;
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = docsPage;
  });
  router.get('/docs.js', (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = docsScript;
  });
  return router;
}
