// guild directory: filters for the member directory and sorting for the
// practice library. Without JavaScript the controls stay hidden and the
// pages show the same information as grouped lists.

// The page's words for what this script shows: `data-strings` on <html>
// (from the locale files) where they are not English, else English.
const STRINGS = JSON.parse(document.documentElement.dataset.strings || '{}');
const LANG = document.documentElement.lang || 'en';
function say(key, english, args = {}) {
  let text = STRINGS[key] ?? english;
  if (typeof text === 'object') text = new Intl.PluralRules(LANG).select(args.n) === 'one' ? text.one : text.other;
  return text.replace(/\{(\w+)\}/g, (all, name) => (name in args ? (name === 'n' ? new Intl.NumberFormat(LANG, { useGrouping: 'min2' }).format(args.n) : String(args[name])) : all));
}

const filters = document.querySelector('[data-filters]');
if (filters) {
  const cards = [...document.querySelectorAll('[data-member]')];
  const status = filters.querySelector('.filter-status');
  const apply = () => {
    const want = Object.fromEntries(new FormData(filters));
    let shown = 0;
    for (const card of cards) {
      const ok = (!want.expertise || card.dataset.expertise.split(' ').includes(want.expertise))
        && (!want.location || card.dataset.location === want.location)
        && (!want.available || card.dataset.available.split('|').includes(want.available));
      card.hidden = !ok;
      if (ok) shown += 1;
    }
    status.textContent = shown === cards.length
      ? say('members.all', { one: '{n} member', other: '{n} members' }, { n: shown })
      : say('members.some', { one: '{shown} of {n} member', other: '{shown} of {n} members' }, { shown, n: cards.length });
    // The filters live in the URL, so a filtered directory can be shared.
    const url = new URL(location.href);
    for (const [key, value] of Object.entries(want)) {
      if (value) url.searchParams.set(key, value);
      else url.searchParams.delete(key);
    }
    history.replaceState(null, '', url);
  };
  const params = new URLSearchParams(location.search);
  for (const field of filters.elements) {
    if (field.name && params.has(field.name)) field.value = params.get(field.name);
  }
  filters.addEventListener('change', apply);
  filters.addEventListener('submit', (e) => e.preventDefault());
  filters.hidden = false;
  apply();
}

const sorter = document.querySelector('[data-sort]');
if (sorter) {
  const buttons = [...sorter.querySelectorAll('button[data-key]')];
  // The library's own order (A–Z within each status), to come back to.
  const initial = new Map();
  for (const grid of document.querySelectorAll('[data-sortable]')) {
    [...grid.children].forEach((card, i) => initial.set(card, i));
  }
  const sort = (key) => {
    for (const grid of document.querySelectorAll('[data-sortable]')) {
      const cards = [...grid.children];
      const order = (c) => initial.get(c);
      cards.sort((a, b) => (key === 'updated'
        ? (b.dataset.updated || '').localeCompare(a.dataset.updated || '') || order(a) - order(b)
        : order(a) - order(b)));
      grid.append(...cards);
    }
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.key === key));
  };
  for (const b of buttons) b.addEventListener('click', () => sort(b.dataset.key));
  sorter.hidden = false;
}
