// What a page on a projector may not do (tests/e2e/test_browser_projector.py): break a word in a
// heading, a figure or a verdict over two lines, cut text with an ellipsis, or hide table rows or
// columns behind a scroll inside the table. Run with words.js (``layout_script``).
() => {
  const out = {broken: [], ellipsis: [], tables: []};
  const strong = '[data-testid="stMain"] :is(h1, h2, h3, h4, h5, h6, [data-testid="stMetricLabel"], ' +
                 '[data-testid="stMetricValue"], [data-testid="stMetricDelta"])';
  out.broken = brokenWords(document.querySelectorAll(strong));
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    const s = getComputedStyle(el);
    if (s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim())
      out.ellipsis.push(el.textContent.slice(0, 50));
  }
  for (const t of document.querySelectorAll('[data-testid="stMain"] [data-testid="stTable"]')) {
    if (t.scrollWidth > t.clientWidth + 2 || t.scrollHeight > t.clientHeight + 2)
      out.tables.push(`table ${t.scrollWidth}x${t.scrollHeight} in ${t.clientWidth}x${t.clientHeight}`);
  }
  return out;
}
