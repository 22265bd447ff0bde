// ANSI SGR colours to spans: only classes and a few inline colours, never HTML from the log (text nodes only).

const BASIC = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
const ESC = /\x1b\[([0-9;]*)([A-Za-z])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b./g;

/** 256-colour index to CSS. */
function palette(n) {
  if (n < 8) return `var(--ansi-${BASIC[n]})`;
  if (n < 16) return `var(--ansi-bright-${BASIC[n - 8]})`;
  if (n < 232) {
    const v = [0, 95, 135, 175, 215, 255];
    const i = n - 16;
    return `rgb(${v[Math.floor(i / 36)]},${v[Math.floor(i / 6) % 6]},${v[i % 6]})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g},${g},${g})`;
}

/**
 * Splits a line into [{text, style: {fg, bg, bold, italic, underline}}]; unknown escapes are dropped. With
 * {@code from} and {@code to}, only the text between those places of the plain text (see {@link plain}) is kept,
 * in the colours set before it: a long line can be drawn from its middle.
 */
export function segments(line, from = 0, to = Infinity) {
  const out = [];
  let style = {};
  let last = 0;
  let at = 0; // where in the plain text the next segment starts
  ESC.lastIndex = 0;
  let m;
  const push = text => {
    const part = text.slice(Math.max(0, from - at), Math.max(0, to - at));
    at += text.length;
    if (part) out.push({ text: part, style });
  };
  while ((m = ESC.exec(line)) && at < to) {
    push(line.slice(last, m.index));
    last = ESC.lastIndex;
    if (m[2] !== 'm') continue;
    const codes = (m[1] || '0').split(';').map(c => Number(c || 0));
    style = { ...style };
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (c === 0) style = {};
      else if (c === 1) style.bold = true;
      else if (c === 3) style.italic = true;
      else if (c === 4) style.underline = true;
      else if (c === 22) delete style.bold;
      else if (c === 23) delete style.italic;
      else if (c === 24) delete style.underline;
      else if (c >= 30 && c <= 37) style.fg = palette(c - 30);
      else if (c >= 90 && c <= 97) style.fg = palette(c - 90 + 8);
      else if (c >= 40 && c <= 47) style.bg = palette(c - 40);
      else if (c >= 100 && c <= 107) style.bg = palette(c - 100 + 8);
      else if (c === 39) delete style.fg;
      else if (c === 49) delete style.bg;
      else if ((c === 38 || c === 48) && codes[i + 1] === 5) {
        style[c === 38 ? 'fg' : 'bg'] = palette(codes[i + 2] & 255);
        i += 2;
      } else if ((c === 38 || c === 48) && codes[i + 1] === 2) {
        style[c === 38 ? 'fg' : 'bg'] = `rgb(${codes[i + 2] & 255},${codes[i + 3] & 255},${codes[i + 4] & 255})`;
        i += 4;
      }
    }
  }
  if (at < to) push(line.slice(last));
  return out;
}

/** Appends a line's segments (those between {@code from} and {@code to}, see {@link segments}) to an element as text nodes and spans. */
export function render(el, line, from = 0, to = Infinity) {
  for (const { text, style } of segments(line, from, to)) {
    if (!style.fg && !style.bg && !style.bold && !style.italic && !style.underline) {
      el.append(text);
      continue;
    }
    const span = document.createElement('span');
    span.textContent = text;
    if (style.fg) span.style.color = style.fg;
    if (style.bg) span.style.backgroundColor = style.bg;
    if (style.bold) span.style.fontWeight = 'bold';
    if (style.italic) span.style.fontStyle = 'italic';
    if (style.underline) span.style.textDecoration = 'underline';
    el.append(span);
  }
}

/** The text without escapes (for search and copy). */
export function plain(line) {
  return line.replace(ESC, '');
}
