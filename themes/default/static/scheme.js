// The reader's colour scheme: automatic (the system's), light or dark.
// A classic script loaded blocking in <head>, so a chosen scheme is on
// <html> before the first paint: no flash of the other one. It also wires
// the header's theme switch, which stays hidden without JavaScript, and
// lets Escape close the header's menu.
(() => {
  const KEY = 'guild-scheme';
  const ORDER = ['auto', 'light', 'dark'];
  const root = document.documentElement;
  // The page's words (`data-strings` from the locale files), else English.
  const strings = JSON.parse(root.dataset.strings || '{}');
  const say = (key, english, args = {}) => (strings[key] ?? english).replace(/\{(\w+)\}/g, (all, name) => args[name] ?? all);
  const NAMES = {
    auto: say('scheme.auto', 'automatic'),
    light: say('scheme.light', 'light'),
    dark: say('scheme.dark', 'dark'),
  };

  const stored = () => {
    try {
      return localStorage.getItem(KEY);
    } catch {
      return null; // Storage refused (a browser setting or policy): automatic.
    }
  };
  const apply = (scheme) => {
    if (scheme === 'light' || scheme === 'dark') root.dataset.scheme = scheme;
    else delete root.dataset.scheme;
  };
  const current = () => root.dataset.scheme || 'auto';
  apply(stored());

  const show = () => {
    for (const button of document.querySelectorAll('.scheme-switch')) {
      const now = current();
      const next = ORDER[(ORDER.indexOf(now) + 1) % ORDER.length];
      button.dataset.state = now;
      button.querySelector('.scheme-label').textContent = say('scheme.label', 'Theme: {name}', { name: NAMES[now] });
      button.title = say('scheme.title', 'Theme: {name}. Switch to {next}', { name: NAMES[now], next: NAMES[next] });
    }
  };
  const announce = () => {
    show();
    document.dispatchEvent(new CustomEvent('guild:scheme', { detail: current() }));
  };

  document.addEventListener('DOMContentLoaded', () => {
    for (const button of document.querySelectorAll('.scheme-switch')) {
      button.hidden = false;
      button.addEventListener('click', () => {
        const next = ORDER[(ORDER.indexOf(current()) + 1) % ORDER.length];
        apply(next);
        try {
          if (next === 'auto') localStorage.removeItem(KEY);
          else localStorage.setItem(KEY, next);
        } catch {
          // Not remembered; this page still switches.
        }
        announce();
      });
    }
    show();
  });
  // The header's Menu (a <details>, so it works without this): Escape
  // closes it and gives focus back to its button; so does a click
  // outside it.
  document.addEventListener('keydown', (event) => {
    const menu = document.querySelector('.site-menu[open]');
    if (event.key !== 'Escape' || !menu || !menu.contains(document.activeElement)) return;
    menu.open = false;
    menu.querySelector('summary')?.focus();
  });
  document.addEventListener('click', (event) => {
    const menu = document.querySelector('.site-menu[open]');
    if (menu && !menu.contains(event.target)) menu.open = false;
  });
  // A choice made in another tab of the site.
  window.addEventListener('storage', (event) => {
    if (event.key !== KEY) return;
    apply(event.newValue);
    announce();
  });
})();
