// What a page on a projector may not do (tests/e2e/test_browser_projector.py): break a word in a
// heading, a figure or a verdict over two lines, cut text with an ellipsis, or hide table rows or
// columns behind a scroll inside the table, or options of a control behind a sideways scroll.
// Run with words.js (``layout_script``).
() => {
  const out = {broken: [], ellipsis: [], tables: [], controls: []};
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
  // a row of options (pills) that hides some of them behind a sideways scroll
  for (const row of document.querySelectorAll('[data-testid="stMain"] [data-testid="stButtonGroup"] div:has(> button)')) {
    if (row.scrollWidth > row.clientWidth + 1) out.controls.push(row.innerText.replace(/\s+/g, ' '));
  }
  return out;
}
