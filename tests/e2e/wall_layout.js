// What a wall view may not do, measured in the page (tests/e2e/test_browser_wall.py). Run with
// words.js (``layout_script``).
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const out = {scroll: [], overflow: [], broken: [], ellipsis: [], fonts: [], figures: [], visible: []};
  if (main.scrollHeight > main.clientHeight + 1 || main.scrollWidth > main.clientWidth + 1)
    out.scroll.push(`${main.scrollWidth}x${main.scrollHeight} in ${main.clientWidth}x${main.clientHeight}`);
  const texts = [...document.querySelectorAll('.lw, .lw *')];
  for (const el of texts) {
    const style = getComputedStyle(el);
    if (style.overflow !== 'visible' && (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2))
      out.overflow.push(`${el.tagName}.${el.className}: ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`);
    if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth) out.ellipsis.push(el.textContent.slice(0, 60));
    if (/…/.test([...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('')))
      out.ellipsis.push(el.textContent.slice(0, 60));
    const own = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim());
    if (own.length) out.fonts.push(parseFloat(style.fontSize));
    if (el.classList.contains('lw-figure')) out.figures.push(parseFloat(style.fontSize));
  }
  // a word on two lines: one word's range has two boxes
  out.broken = brokenWords(document.querySelectorAll('.lw h1, .lw-name, .lw-verdict, .lw-figure, .lw-label b'));
  // nothing under the bottom of the window or beyond its right edge
  for (const el of document.querySelectorAll('.lw *, [data-testid="stPlotlyChart"], [data-testid="stDeckGlJsonChart"]')) {
    const r = el.getBoundingClientRect();
    if (r.height && (r.bottom > innerHeight + 1 || r.right > innerWidth + 1)) out.visible.push(el.className || el.tagName);
  }
  out.inputs = [...document.querySelectorAll('[data-testid="stMain"] input, [data-testid="stMain"] button')]
    .filter(b => !b.classList.contains('mapboxgl-ctrl-attrib-button') && b.offsetParent !== null).length;
  out.sidebar = !!document.querySelector('[data-testid="stSidebar"]') &&
                getComputedStyle(document.querySelector('[data-testid="stSidebar"]')).display !== 'none';
  out.toolbar = !!document.querySelector('[data-testid="stToolbar"]') &&
                document.querySelector('[data-testid="stToolbar"]').offsetParent !== null;
  out.tables = document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]').length;
  out.header = document.querySelector('.lw-head') ? document.querySelector('.lw-head').innerText : '';
  return out;
}
