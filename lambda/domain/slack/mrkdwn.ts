/**
 * Slack mrkdwn helpers. Slack asks for exactly three characters to be escaped (`&`, `<`, `>`): with
 * them escaped, a string from an API such as `<!channel>` or `<http://x|y>` pings and links nobody.
 */

const ELLIPSIS = '…';
/** The entities `escapeMrkdwn` produces; `truncate` never cuts one in half. */
const ENTITY = /^&(?:amp|lt|gt);/;
const LONGEST_ENTITY = '&amp;'.length;

/** Escapes `&`, `<` and `>` so that text from outside is shown as typed and never becomes markup. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Reverses `escapeMrkdwn`, for showing mrkdwn where it is not interpreted (a terminal). */
export function unescapeMrkdwn(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/**
 * Shortens `text` to at most `max` UTF-16 code units (the unit Block Kit limits are checked in),
 * ending with '…'. Never cuts inside an escape entity (`&amp;`), a surrogate pair (emoji) or a
 * `<…>` link or mention; such a piece is dropped whole. Text already short enough is returned as is.
 */
export function truncate(text: string, max: number): string {
  if (!Number.isInteger(max) || max < 1)
    throw new RangeError(`truncate: max must be an integer ≥ 1, got ${max}`);
  if (text.length <= max) return text;
  let cut = max - ELLIPSIS.length;
  cut = backOffSurrogatePair(text, cut);
  cut = backOffEntity(text, cut);
  cut = backOffAngleMarkup(text, cut);
  return text.slice(0, cut) + ELLIPSIS;
}

function backOffSurrogatePair(text: string, cut: number): number {
  const before = text.charCodeAt(cut - 1);
  return cut > 0 && before >= 0xd800 && before <= 0xdbff ? cut - 1 : cut;
}

function backOffEntity(text: string, cut: number): number {
  for (let start = cut - 1; start >= Math.max(0, cut - LONGEST_ENTITY + 1); start--) {
    if (text[start] !== '&') continue;
    const entity = ENTITY.exec(text.slice(start))?.[0];
    return entity !== undefined && start + entity.length > cut ? start : cut;
  }
  return cut;
}

/** Escaped text contains no raw `<`, so an unclosed one before the cut is a link or mention we built. */
function backOffAngleMarkup(text: string, cut: number): number {
  const open = text.lastIndexOf('<', cut - 1);
  return open !== -1 && text.indexOf('>', open) >= cut ? open : cut;
}
