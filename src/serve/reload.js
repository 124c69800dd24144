// guild serve: live reload and the error overlay. Injected by `guild serve`
// only; never part of a built site.
const me = new URL(import.meta.url);
const version = me.searchParams.get('v');
const events = new EventSource(new URL('events', me));
let overlay = null;
let pill = null;

function clear() {
  overlay?.remove();
  pill?.remove();
  overlay = null;
  pill = null;
}

function button(text, label, css) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.style.cssText = 'font:inherit;cursor:pointer;border-radius:6px;padding:4px 10px;' + css;
  return b;
}

// Hidden, the overlay leaves a small button in the corner that brings it
// back; the next build's problems show it again.
function hide() {
  if (!overlay) return;
  overlay.hidden = true;
  pill.hidden = false;
  pill.focus();
}

function unhide() {
  overlay.hidden = false;
  pill.hidden = true;
  overlay.querySelector('button')?.focus();
}

function show(problems) {
  clear();
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  overlay = document.createElement('div');
  overlay.id = 'guild-overlay';
  overlay.setAttribute('role', 'alertdialog');
  overlay.setAttribute('aria-label', 'Build errors');
  overlay.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:min(60vh,32rem);overflow:auto;z-index:2147483647;' +
    'background:#1b1012;color:#fde8e8;font:14px/1.5 ui-monospace,monospace;padding:12px 20px 16px;border-top:4px solid #e5484d;';
  const head = document.createElement('div');
  head.style.cssText = 'display:flex;align-items:flex-start;justify-content:space-between;gap:12px;margin:0 0 8px;';
  const title = document.createElement('p');
  title.style.cssText = 'margin:0;font-weight:bold;';
  title.textContent = `guild: the last edit has ${count}; showing the last good build`;
  const close = button('Hide', 'Hide the problems (Escape)', 'flex:none;background:#3a1d21;color:#fde8e8;border:1px solid #e5484d;');
  close.addEventListener('click', hide);
  head.append(title, close);
  overlay.append(head);
  const list = document.createElement('ul');
  list.style.cssText = 'margin:0;padding-left:18px;';
  for (const p of problems) {
    const li = document.createElement('li');
    const where = document.createElement('strong');
    where.textContent = p.file ? `${p.file}${p.line ? `:${p.line}:${p.column}` : ''}` : 'build';
    li.append(where, ` ${p.severity}: ${p.message}`);
    if (p.help) {
      const help = document.createElement('div');
      help.style.opacity = '0.85';
      help.textContent = `help: ${p.help}`;
      li.append(help);
    }
    list.append(li);
  }
  overlay.append(list);
  overlay.addEventListener('keydown', (e) => { if (e.key === 'Escape') hide(); });
  pill = button(`guild: ${count}`, `Show the build's ${count}`,
    'position:fixed;right:12px;bottom:12px;z-index:2147483647;background:#1b1012;color:#fde8e8;border:2px solid #e5484d;' +
    'font:bold 13px/1.4 ui-monospace,monospace;padding:6px 12px;box-shadow:0 2px 8px rgba(0,0,0,.3);');
  pill.id = 'guild-overlay-pill';
  pill.hidden = true;
  pill.addEventListener('click', unhide);
  document.body.append(overlay, pill);
}

events.addEventListener('state', (e) => {
  const state = JSON.parse(e.data);
  if (state.problems.length) show(state.problems);
  else if (String(state.version) !== version) location.reload();
});
events.addEventListener('problems', (e) => show(JSON.parse(e.data)));
events.addEventListener('reload', () => location.reload());
