/**
 * What axe would flag on a simple page, checked in the page itself (axe-core is not among the
 * project's dependencies): text contrast against the painted background (WCAG AA: 4.5:1, 3:1 for
 * large text), heading levels, landmarks, names of links, navigation and tables, duplicate ids,
 * language and title. `page.evaluate(ACCESSIBILITY_PROBLEMS)` gives the problems found, as text.
 * Plain JavaScript in a string: the tests are compiled without the DOM's types.
 */
export const ACCESSIBILITY_PROBLEMS = `(() => {
  const problems = [];
  const parse = (css) => {
    const parts = (/rgba?\\(([^)]+)\\)/.exec(css)?.[1] ?? '0 0 0 0').split(/[\\s,/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts[3] ?? 1];
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const luminance = ([r, g, b]) => {
    const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) layers.push(parse(getComputedStyle(e).backgroundColor));
    return layers.reverse().reduce((under, layer) => over(layer, under), [255, 255, 255, 1]);
  };
  for (const el of document.body.querySelectorAll('*')) {
    const text = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '');
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // Off-screen until focused (the skip link) or visually hidden: not painted, so not judged.
    if (!text || box.width <= 1 || box.height <= 1 || box.bottom < 0 || style.visibility === 'hidden') continue;
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) problems.push('contrast ' + ratio.toFixed(2) + ' for "' + el.textContent.trim().slice(0, 40) + '" (' + style.color + ' on rgb(' + bg.slice(0, 3).join(', ') + '))');
  }
  const levels = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map((h) => Number(h.tagName[1]));
  if (levels.filter((l) => l === 1).length !== 1 || levels[0] !== 1) problems.push('headings must start with the one h1: ' + levels.join(','));
  levels.forEach((l, i) => { if (i > 0 && l > levels[i - 1] + 1) problems.push('heading level skips from h' + levels[i - 1] + ' to h' + l); });
  if (document.querySelectorAll('main').length !== 1) problems.push('not exactly one main landmark');
  if (document.querySelectorAll('header:not(main header, article header, section header, nav header)').length !== 1) problems.push('not exactly one banner');
  for (const nav of document.querySelectorAll('nav')) if (!nav.getAttribute('aria-label') && !nav.getAttribute('aria-labelledby')) problems.push('a navigation landmark without a name');
  for (const a of document.querySelectorAll('a')) {
    if (!a.textContent.trim() && !a.getAttribute('aria-label')) problems.push('a link without a name');
    if (!a.getAttribute('href')) problems.push('link "' + a.textContent + '" has no href');
  }
  for (const table of document.querySelectorAll('table')) {
    if (!table.getAttribute('aria-label') && !table.getAttribute('aria-labelledby') && !table.querySelector('caption')) problems.push('a table without a name');
    if (!table.querySelector('th')) problems.push('a table without header cells');
  }
  const ids = Array.from(document.querySelectorAll('[id]')).map((e) => e.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push('duplicate id ' + id);
  if (!document.documentElement.lang) problems.push('no lang on <html>');
  if (!document.title.trim()) problems.push('no title');
  return problems;
})()`;
