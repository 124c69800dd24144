// Draws ```mermaid blocks with the Mermaid library the theme ships (loaded
// from the site itself, and only by pages that have a diagram). The source
// stays in the page: it is what a reader without JavaScript sees, it folds
// under the drawing for copying, and it is drawn again when the colour
// scheme changes.
const script = document.querySelector('script[data-mermaid]');
const figures = [...document.querySelectorAll('figure.diagram-mermaid')];

// The page's words for what this script shows: `data-strings` on <html>
// (from the locale files) where they are not English, else English.
const STRINGS = JSON.parse(document.documentElement.dataset.strings || '{}');
const LANG = document.documentElement.lang || 'en';
function say(key, english, args = {}) {
  let text = STRINGS[key] ?? english;
  if (typeof text === 'object') text = new Intl.PluralRules(LANG).select(args.n) === 'one' ? text.one : text.other;
  return text.replace(/\{(\w+)\}/g, (all, name) => (name in args ? (name === 'n' ? new Intl.NumberFormat(LANG, { useGrouping: 'min2' }).format(args.n) : String(args[name])) : all));
}

function dark() {
  const chosen = document.documentElement.dataset.scheme;
  if (chosen === 'dark' || chosen === 'light') return chosen === 'dark';
  return matchMedia('(prefers-color-scheme: dark)').matches;
}

if (script && figures.length) {
  const sources = figures.map((figure) => figure.querySelector('code')?.textContent ?? '');
  const { default: mermaid } = await import(script.dataset.mermaid);
  let round = 0;
  let drawnDark = null;

  async function draw() {
    const isDark = dark();
    if (drawnDark === isDark) return;
    drawnDark = isDark;
    round += 1;
    mermaid.initialize({
      startOnLoad: false,
      // Labels are text, never HTML; no click handlers run.
      securityLevel: 'strict',
      suppressErrorRendering: true,
      theme: isDark ? 'dark' : 'default',
      // Mermaid's dark edge labels (#ccc on #585858) miss WCAG AA contrast.
      themeVariables: isDark ? { edgeLabelBackground: '#2e333b' } : {},
      fontFamily: getComputedStyle(document.body).fontFamily,
    });
    for (const [i, figure] of figures.entries()) {
      let drawing = figure.querySelector('.diagram-drawing');
      try {
        const { svg } = await mermaid.render(`diagram-${round}-${i}`, sources[i]);
        if (!drawing) {
          drawing = document.createElement('div');
          drawing.className = 'diagram-drawing';
          figure.prepend(drawing);
          // The source folds under the drawing, for copying and editing.
          const pre = figure.querySelector('pre.diagram-source');
          const details = document.createElement('details');
          details.className = 'diagram-code';
          const summary = document.createElement('summary');
          summary.textContent = say('diagram.source', 'Diagram source');
          details.append(summary);
          if (pre) details.append(pre);
          figure.append(details);
        }
        drawing.innerHTML = svg;
        figure.classList.add('is-drawn');
        figure.classList.remove('is-failed');
      } catch (error) {
        // The source stays as it is, with why it could not be drawn.
        figure.classList.add('is-failed');
        let note = figure.querySelector('.diagram-error');
        if (!note) {
          note = document.createElement('figcaption');
          note.className = 'diagram-error';
          figure.append(note);
        }
        const first = String(error?.message ?? error).split('\n')[0];
        note.textContent = say('diagram.failed', 'This diagram could not be drawn: {error}', { error: first });
      }
    }
  }

  await draw();
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', draw);
  // The theme switch says when the reader picks a scheme.
  document.addEventListener('guild:scheme', draw);
}
