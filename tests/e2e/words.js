// Shared by the layout checks: the words inside `elements` that break over two lines (a word's
// text range has more than one box).
function brokenWords(elements) {
  const broken = [];
  for (const el of elements) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const re = /\S+/g; let m;
      while ((m = re.exec(node.textContent))) {
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        if ([...range.getClientRects()].filter(r => r.width > 0).length > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}
