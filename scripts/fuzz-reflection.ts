/**
 * How scripts/fuzz.ts tells an unescaped reflection from an escaped one: the answer's tags are read
 * as a browser (HTML) or an XML parser reads them, and a marker counts only when it became markup.
 */
const TAG_OPEN = /<(\/?)([A-Za-z][^\s/>]*)/y;
const ATTRIBUTE = /[\s/]*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?/y;
/** Elements whose content a browser reads as text up to their end tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript']);

/** The tags of an HTML (or XML) document, read as a parser does: comments, CDATA and raw-text content skipped. */
export function tagsOf(doc: string, html: boolean): Array<{ name: string; attributes: Map<string, string> }> {
  const tags: Array<{ name: string; attributes: Map<string, string> }> = [];
  const lower = doc.toLowerCase();
  let i = 0;
  for (;;) {
    const lt = doc.indexOf('<', i);
    if (lt < 0) return tags;
    const skipTo = (end: string, from: number) => {
      const at = doc.indexOf(end, from);
      return at < 0 ? doc.length : at + end.length;
    };
    if (doc.startsWith('<!--', lt)) i = skipTo('-->', lt + 4);
    else if (doc.startsWith('<![CDATA[', lt)) i = skipTo(']]>', lt + 9);
    else {
      TAG_OPEN.lastIndex = lt;
      const open = TAG_OPEN.exec(doc);
      if (!open) {
        i = lt + 1;
        continue;
      }
      const name = (open[2] ?? '').toLowerCase();
      const attributes = new Map<string, string>();
      let j = TAG_OPEN.lastIndex;
      for (;;) {
        ATTRIBUTE.lastIndex = j;
        const a = ATTRIBUTE.exec(doc);
        if (!a || a[0].length === 0) break;
        attributes.set((a[1] ?? '').toLowerCase(), a[2] ?? a[3] ?? a[4] ?? '');
        j = ATTRIBUTE.lastIndex;
      }
      tags.push({ name, attributes });
      i = skipTo('>', j);
      if (html && open[1] === '' && RAW_TEXT.has(name)) {
        const end = lower.indexOf(`</${name}`, i);
        i = end < 0 ? doc.length : end;
      }
    }
  }
}

/** What of a marker an HTML or XML answer holds as markup, if anything. */
export function reflectionIn(body: string, contentType: string): string | undefined {
  const xml = /xml/i.test(contentType);
  if ((!xml && !/html/i.test(contentType)) || !body.includes('besa')) return undefined;
  for (const tag of tagsOf(body, !xml)) {
    if (tag.name === 'besa-x9f2') return '<besa-x9f2> element';
    for (const [name, value] of tag.attributes) {
      if (name === 'besa-x9f2' || (name.startsWith('on') && value.includes('besa9f2'))) return `${name}= attribute on <${tag.name}>`;
      if (['href', 'src', 'action', 'formaction'].includes(name) && /^\s*javascript:/i.test(value) && value.includes('besa9f2')) return `javascript: ${name} on <${tag.name}>`;
    }
  }
  return undefined;
}

