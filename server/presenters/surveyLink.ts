import { surveyResults } from '../surveys/policy.js';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The short link's page: the case number and one button per answer (no inline script: CSP). */
export function linkPage(survey: { caseNo: string; open: boolean; result: string | null } | null): string {
  const body = !survey
    ? '<p>链接无效或已过期。</p>'
    : !survey.open
      ? `<p>案件 ${escape(survey.caseNo)} 的回访已结束${survey.result ? `（${escape(survey.result)}）` : ''}，感谢您的参与。</p>`
      : `<p>您反映的案件 <b>${escape(survey.caseNo)}</b> 已处理完毕，请您评价：</p>
<div id="answers">${surveyResults
          .filter((r) => r !== '拒绝回访')
          .map((r) => `<button type="button" data-result="${escape(r)}">${escape(r)}</button>`)
          .join('')}</div>
<textarea id="comment" maxlength="500" placeholder="意见或建议（可不填）"></textarea>
<p id="status" role="status"></p>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>城管热线回访</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}button{font-size:1.1rem;margin:.3rem;padding:.6rem 1.2rem}textarea{width:100%;min-height:4rem}</style>
<script src="/s/answer.js" defer></script></head>
<body><h1>城管热线回访</h1>${body}</body></html>`;
}

/** Posts the chosen answer as JSON to /api/public/surveys/<code>/answer and says what happened. */
export const LINK_SCRIPT = `'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var code = location.pathname.split('/').pop();
  var status = document.getElementById('status');
  document.querySelectorAll('button[data-result]').forEach(function (button) {
    button.addEventListener('click', function () {
      var comment = document.getElementById('comment').value.trim();
      var body = { result: button.getAttribute('data-result') };
      if (comment) body.comment = comment;
      status.textContent = '正在提交…';
      fetch('/api/public/surveys/' + encodeURIComponent(code) + '/answer', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      })
        .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
        .then(function (x) {
          if (x.ok) {
            document.getElementById('answers').remove();
            status.textContent = '感谢您的评价（' + x.j.result + '）。';
          } else status.textContent = (x.j.error && x.j.error.message) || '提交失败，请稍后再试';
        })
        .catch(function () { status.textContent = '网络异常，请稍后再试'; });
    });
  });
});
`;
