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

export function latinToCyrillic(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const two = text.slice(i, i + 2);
    const digraph = LAT_TO_CYR[two];
    if (two.length === 2 && digraph && /^(lj|nj|dž)$/i.test(two)) {
      out += digraph;
      i++;
      continue;
    }
    const ch = text[i] as string;
    out += LAT_TO_CYR[ch] ?? ch;
  }
  return out;
}
