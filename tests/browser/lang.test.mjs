// A second language: the page in Spanish (lang=es, or a browser whose first language it
// has), every text of the page from the engine's tables (src/lang/), numbers with a
// decimal comma, and not one number changed by it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, ready, axe } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** The texts of a page's own HTML (each element's text with its child elements as {i},
 * and its labels), as lang.js reads them, and whether the table has each. */
async function pageTexts(page, file) {
  return page.evaluate(async (file) => {
    const { textUnits, attributeUnits } = await import('./www/lang.js');
    const html = await (await fetch(file)).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const texts = [
      ...textUnits(doc.documentElement).map((u) => u.template),
      ...attributeUnits(doc.documentElement).map((u) => u.text),
    ];
    return [...new Set(texts)];
  }, file);
}

/** Text nodes on screen that read as English (a function word), outside code. */
async function englishLeft(page) {
  return page.evaluate(() => {
    const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
      const n = walk.currentNode;
      const el = n.parentElement;
      if (el.closest('code, script, style, textarea, [translate="no"], [hidden]')) continue;
      if (/\b(the|and|of|with|is|are|from|to|at)\b/.test(n.data)) out.push(n.data.trim().slice(0, 80));
    }
    return out;
  });
}

test('every text of the page has its Spanish, and the Spanish table has no text the page lacks', async () => {
  const { page } = await open(browser, `${server.url}#n=300`);
  await ready(page);
  const texts = await pageTexts(page, './index.html');
  assert.ok(texts.length > 150, `the page's texts were read: ${texts.length}`);
  const { texts: pairs } = await page.evaluate(() => import('./www/engine.js').then(({ E }) => E().lang_texts('es')));
  const table = new Map(pairs);
  assert.deepEqual(texts.filter((t) => !table.has(t)), [], 'texts without Spanish');
  const hand = await pageTexts(page, './www/handwriting.html');
  assert.ok(hand.length > 60, `the handwriting page's texts were read: ${hand.length}`);
  assert.deepEqual(hand.filter((t) => !table.has(t)), [], 'texts of the handwriting page without Spanish');
  // Entries of the pages' own tables that neither page has any more.
  const page_table = await page.evaluate(() => import('./www/engine.js').then(({ E }) => E().lang_html_texts('es')));
  const all = new Set([...texts, ...hand]);
  assert.deepEqual(page_table.filter((t) => !all.has(t)), [], 'Spanish for texts the pages do not have');
});

test('lang=es: the page, its plots in words and its status line in Spanish, numbers with a decimal comma, the numbers themselves unchanged', async () => {
  const hash = '#n=2000&k=3&steps=400&seed=3';
  const { page: en } = await open(browser, `${server.url}${hash}`);
  await ready(en);
  await en.evaluate(() => window.mdn.step(400));
  const metricsEn = await en.evaluate(() => window.mdn.metrics());
  const { page, log } = await open(browser, `${server.url}${hash}&lang=es`);
  await ready(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await page.textContent('#play'), '▶ Entrenar');
  assert.equal(await page.textContent('#cal-title'), '¿Es buena la densidad? Calibración');
  await page.evaluate(() => window.mdn.step(400));
  assert.deepEqual(await page.evaluate(() => window.mdn.metrics()), metricsEn, 'the same numbers in either language');
  await page.waitForFunction(() => /^paso 400 de 400/.test(document.getElementById('status').textContent));
  const status = await page.textContent('#status');
  const nll = (v) => v.toFixed(3).replace('-', '−').replace('.', ',');
  assert.ok(status.includes(`NLL de validación: MDN ${nll(metricsEn.val_nll)}, regresor MSE ${nll(metricsEn.baseline_val_nll)} nats`), status);
  await page.waitForFunction(() => /^En el paso 400, NLL de validación/.test(document.getElementById('loss-words').textContent), null, { timeout: 30_000 });
  await page.waitForFunction(() => /^En x₀ = 0,50 la densidad tiene /.test(document.getElementById('slice-words').textContent), null, { timeout: 30_000 });
  assert.match(await page.textContent('#main-words'), /^p\(y \| x\) tiene (una rama|\d ramas) para x de −0,20 a /);
  assert.match(await page.textContent('#diag-summary'), /^Componentes: \d de 3 en uso · menor σ en uso \d,\d+/);
  // Each figure's table in Spanish too.
  await page.click('.slice-plot details.numbers summary');
  await page.waitForFunction(() => document.querySelectorAll('.slice-plot tbody tr').length > 0);
  assert.match(await page.textContent('.slice-plot caption'), /^p\(y \| x₀ = 0,500\): las componentes con peso π ≥ 0,001/);
  assert.equal(await page.textContent('.slice-plot thead th:nth-child(2)'), 'peso π');
  // Nothing on screen left in English (code and hidden parts aside).
  assert.deepEqual(await englishLeft(page), []);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(log.errors, []);
});

test('the language: from the browser without lang=, kept by a link that names none, changed by one that does, and carried by an embed', async () => {
  const { page } = await open(browser, `${server.url}#n=300`, { locale: 'es-MX' });
  await ready(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'es', 'the browser asks for Spanish first');
  assert.equal(await page.textContent('#tourbtn'), 'Visita guiada');
  // The tour's links name no language: the page stays Spanish, the step's text in Spanish.
  await page.click('#tourbtn');
  await page.waitForFunction(() => !document.getElementById('tour').hidden);
  assert.match(await page.textContent('#tour-title'), /^Visita, paso 1 de 9: El promedio no es una respuesta$/);
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  // The embed code carries the language, so the lecture's page shows the embed in it.
  assert.match(await page.evaluate(() => window.mdn.embedCode()), /lang=es/);
  // A link that asks for English: the page opens again in English.
  await page.evaluate(() => { location.hash = '#n=300&lang=en'; });
  await page.waitForFunction(() => document.documentElement.lang === 'en' && document.getElementById('status')?.dataset.ready === '1');
  assert.equal(await page.textContent('#tourbtn'), 'Guided tour');
  // Another browser language the page does not have: English.
  const { page: fr } = await open(browser, `${server.url}#n=300`, { locale: 'fr-FR' });
  await ready(fr);
  assert.equal(await fr.getAttribute('html', 'lang'), 'en');
});

test('the handwriting page in Spanish: its text, what it says of the writing and of training, with a decimal comma; the way back keeps the language', async () => {
  const { page: main } = await open(browser, `${server.url}#n=300&lang=es`);
  await ready(main);
  const to = await main.getAttribute('#to-hand', 'href');
  assert.match(await main.evaluate(() => document.getElementById('to-hand').href), /handwriting\.html#lang=es$/, to);
  const { page, log } = await open(browser, `${server.url}www/handwriting.html#lang=es&steps=20&n=40`);
  await page.waitForFunction(() => document.getElementById('hw-status')?.dataset.ready === 'true', null, { timeout: 60_000 });
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await page.textContent('#hw-type-title'), 'Escribe lo que tecleas');
  await page.waitForFunction(() => /^Escrito por el modelo que trae la página en \d+ movimientos del lápiz \(\d+,\d por carácter\)/.test(document.getElementById('hw-line-note').textContent), null, { timeout: 60_000 });
  // A letter the pen has none for, said in Spanish.
  await page.fill('#hw-text', 'mañana');
  await page.waitForFunction(() => /^El lápiz no puede escribir 'ñ'/.test(document.getElementById('hw-line-note').textContent));
  await page.fill('#hw-text', 'manana');
  // Training: the status line.
  await page.click('#hw-play');
  await page.waitForFunction(() => /^paso 20 de 20 · NLL de validación por movimiento del lápiz: LSTM-MDN \d+,\d{3}/.test(document.getElementById('hw-status').textContent), null, { timeout: 120_000 });
  assert.deepEqual(await englishLeft(page), []);
  assert.equal(await page.evaluate(() => document.getElementById('to-main').hash), '#lang=es');
  assert.deepEqual(log.errors, []);
});

test('messages in Spanish: a link\'s problems, pasted points with a decimal comma and what was dropped, a run that blows up', async () => {
  const { page, log } = await open(browser, `${server.url}#n=300&k=99&zz=1&lang=es`);
  await ready(page);
  const issues = await page.$$eval('#issues li', (lis) => lis.map((li) => li.textContent));
  assert.deepEqual(issues.slice(0, 1), ["k: '99' está por encima del máximo 30; se usa 30"]);
  assert.match(issues[1], /^clave desconocida 'zz' \(claves aceptadas: data, n, seed, /);
  // Points as a spreadsheet in Spanish saves them: semicolons, decimal commas; one bad line.
  const rows = Array.from({ length: 15 }, (_, i) => `${i / 10};${(i * i) / 100}`.replaceAll('.', ','));
  await page.fill('#csvtext', ['x;y', ...rows, 'abc;1,5'].join('\n'));
  await page.click('#usecsv');
  await page.waitForFunction(() => /puntos con 2 columnas/.test(document.getElementById('dataerror').textContent));
  assert.match(await page.textContent('#dataerror'), /^Texto pegado: 15 puntos con 2 columnas \(x, y\)\. 1 línea se descartó: 1 con un valor que no es un número\. línea 17: 'abc' no es un número( |$)/);
  await ready(page);
  // A run that blows up: the alarm and the reason in Spanish.
  await page.evaluate(() => { location.hash = '#opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=500'; });
  await ready(page);
  await page.click('#play');
  await page.waitForFunction(() => /detenido/.test(document.getElementById('alarms').textContent), null, { timeout: 20_000 });
  const alarm = await page.textContent('#alarms');
  assert.match(alarm, /^detenido: (paso \d+: .* no fue un número finito|paso \d+: la actualización desbordó un parámetro).*El entrenamiento se pausó con los modelos como estaban antes\./);
  assert.deepEqual(await englishLeft(page), []);
  assert.deepEqual(log.errors, []);
});
