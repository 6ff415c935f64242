/** Serbian script conversion. Cyrillic → Latin is exact; Latin → Cyrillic handles the digraphs lj, nj, dž. */
const CYR_TO_LAT: Record<string, string> = {
  А: 'A', Б: 'B', В: 'V', Г: 'G', Д: 'D', Ђ: 'Đ', Е: 'E', Ж: 'Ž', З: 'Z', И: 'I', Ј: 'J', К: 'K', Л: 'L', Љ: 'Lj',
  М: 'M', Н: 'N', Њ: 'Nj', О: 'O', П: 'P', Р: 'R', С: 'S', Т: 'T', Ћ: 'Ć', У: 'U', Ф: 'F', Х: 'H', Ц: 'C', Ч: 'Č',
  Џ: 'Dž', Ш: 'Š',
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i', ј: 'j', к: 'k', л: 'l', љ: 'lj',
  м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'ć', у: 'u', ф: 'f', х: 'h', ц: 'c', ч: 'č',
  џ: 'dž', ш: 'š',
};

const LAT_TO_CYR: Record<string, string> = {};
for (const [cyr, lat] of Object.entries(CYR_TO_LAT)) LAT_TO_CYR[lat] = cyr;
LAT_TO_CYR['LJ'] = 'Љ';
LAT_TO_CYR['NJ'] = 'Њ';
LAT_TO_CYR['DŽ'] = 'Џ';

export function cyrillicToLatin(text: string): string {
  let out = '';
  for (const ch of text) out += CYR_TO_LAT[ch] ?? ch;
  return out;
}

/**
 * Text that stays in Latin letters inside Serbian Cyrillic, because it is not Serbian words:
 * - web addresses (`https://…`, `www.…`, `mailto:…`) and bare domain names (`gjakova.org`);
 * - e-mail addresses;
 * - codes: any word mixing Latin letters and digits (`XKGJA0001`, `XKGJA0001.1`, `ISO-27001`, `A4`);
 * - words with letters Serbian does not use (q, w, x, y: `WCAG`, `YouTube`, `Excel`);
 * - units written after a number (`5 km`, `12 MB`, `3 kWh`, `20 m²`);
 * - Roman numerals of two letters or more (`II kvartal`, `XIV`): Serbian Cyrillic writes them in Latin.
 * Trailing sentence punctuation is left out of addresses. A number with a Serbian ending (`15-og`,
 * `90-ih`, `2024.godine`) is Serbian, not a code, and is converted (ORDINAL).
 */
const UNIT = 'km²|km2|km|cm|mm|m²|m³|m2|m3|m|kg|mg|ha|ml|kB|KB|MB|GB|TB|kbps|Mbps|Gbps|kWh|MWh|GWh|kW|MW|GW|EUR|USD|CHF';
const KEEP_LATIN = new RegExp(
  [
    // web addresses and e-mail addresses
    String.raw`(?:https?:\/\/|ftp:\/\/|mailto:|www\.)[^\s<>"]*[^\s<>".,;:!?)\]»”’']`,
    String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`,
    String.raw`\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:org|com|net|info|eu|rs|al|ks|gov|edu|int|io)\b(?:\/[^\s<>"]*[^\s<>".,;:!?)\]»”’'])?`,
    // Roman numerals (two letters or more; a lone I or V is as often a word)
    String.raw`(?<![\p{L}\p{N}])(?=[IVXLCDM]{2,}(?![\p{L}\p{N}]))M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?![\p{L}\p{N}])`,
    // a number followed by a Latin unit
    String.raw`(?<=\d\s?)(?:${UNIT})(?![\p{L}\p{N}])`,
    // words (with . - / _ inside) that mix Latin letters and digits, or hold q, w, x or y
    String.raw`(?<![\p{L}\p{N}])(?=[\p{L}\p{N}._\/-]*[A-Za-z])(?=[\p{L}\p{N}._\/-]*(?:\d|[QWXYqwxy]))[\p{L}\p{N}]+(?:[._\/-][\p{L}\p{N}]+)*`,
  ].join('|'),
  'gu',
);

/** A number with a Serbian ending (`15-og`, `90-ih`, `2024.godine`): words, converted like the rest. */
const ORDINAL = /^\d+[.-]?[a-zčćđšž]+$/u;

/**
 * Where two Latin letters that look like a digraph are two Cyrillic letters: across a prefix, in
 * the known stems only (`nad|živeti`, `pod|župan`, `od|žaliti`, `pred|žetveni`, `pod|žanr`; `odžak` is
 * `оџак`), and in loanwords (`in|jekcija`, `kon|junkcija`, `kon|jugacija`). A private-use mark keeps them apart while converting and is removed after.
 */
const SPLIT = /(?<!\p{L})(nad|od|pod|pred)(?=ž(?:iv|nj|al|anr|elud|up|et))|(?<!\p{L})(in|kon)(?=j(?:ek|unk|ug))/giu;
const SPLIT_MARK = '\uE000';
const MAY_SPLIT = /[žŽ]|[nN][jJ]/;

/** The digraphs written as one Cyrillic letter: lj, nj, dž (lower, title and upper case). */
const DIGRAPHS: Record<string, string> = {};
for (const [latin, cyrillic] of Object.entries(LAT_TO_CYR)) if (latin.length === 2) DIGRAPHS[latin] = cyrillic;

/** Letter by letter (hot: stored Serbian texts are converted on every page render), digraphs first. */
function convertLatin(text: string): string {
  if (MAY_SPLIT.test(text)) {
    const marked = text.replace(SPLIT, (whole) => whole + SPLIT_MARK);
    if (marked !== text) return convertLetters(marked).replaceAll(SPLIT_MARK, '');
  }
  return convertLetters(text);
}

function convertLetters(text: string): string {
  let out = '';
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text[i] as string;
    const next = text[i + 1];
    if (next === 'j' || next === 'J' || next === 'ž' || next === 'Ž') {
      const digraph = DIGRAPHS[ch + next];
      if (digraph) {
        out += digraph;
        i++;
        continue;
      }
    }
    out += LAT_TO_CYR[ch] ?? ch;
  }
  return out;
}

/** Whether a text may hold anything KEEP_LATIN keeps (most texts do not: a cheap test first). */
const MAY_KEEP = /[\d@:qwxyQWXY]|[IVXLCDM]{2}|www\.|\.(?:org|com|net|info|eu|rs|al|ks|gov|edu|int|io)\b/;

/** Serbian Latin to Cyrillic; addresses, codes, foreign words and units stay Latin (KEEP_LATIN). */
export function latinToCyrillic(text: string): string {
  if (!MAY_KEEP.test(text)) return convertLatin(text);
  let out = '';
  let last = 0;
  for (const match of text.matchAll(KEEP_LATIN)) {
    const start = match.index;
    out += convertLatin(text.slice(last, start)) + (ORDINAL.test(match[0]) ? convertLatin(match[0]) : match[0]);
    last = start + match[0].length;
  }
  return out + convertLatin(text.slice(last));
}
