// guild serve: live reload and the error overlay. Injected by `guild serve`
// only; never part of a built site.
const me = new URL(import.meta.url);
const version = me.searchParams.get('v');
const events = new EventSource(new URL('events', me));
let overlay = null;

function clear() {
  overlay?.remove();
  overlay = null;
}

function show(problems) {
  clear();
  overlay = document.createElement('div');
  overlay.id = 'guild-overlay';
  overlay.setAttribute('role', 'alertdialog');
  overlay.setAttribute('aria-label', 'Build errors');
  overlay.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;' +
    'background:#1b1012;color:#fde8e8;font:14px/1.5 ui-monospace,monospace;padding:16px 20px;border-top:4px solid #e5484d;';
  const title = document.createElement('p');
  title.style.cssText = 'margin:0 0 8px;font-weight:bold;';
  title.textContent = `guild: the last edit has ${problems.length} problem${problems.length === 1 ? '' : 's'}; showing the last good build`;
  overlay.append(title);
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
  document.body.append(overlay);
}

events.addEventListener('state', (e) => {
  const state = JSON.parse(e.data);
  if (state.problems.length) show(state.problems);
  else if (String(state.version) !== version) location.reload();
});
events.addEventListener('problems', (e) => show(JSON.parse(e.data)));
events.addEventListener('reload', () => location.reload());
