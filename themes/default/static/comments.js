// Comments under a document: GitHub Discussions through giscus, set in
// community.yaml (`comments:`). giscus's script is added here, not in the
// page, so it starts in the colour scheme the reader sees, and follows the
// theme switch afterwards.
const box = document.querySelector('.comments .giscus');

function dark() {
  const chosen = document.documentElement.dataset.scheme;
  if (chosen === 'dark' || chosen === 'light') return chosen === 'dark';
  return matchMedia('(prefers-color-scheme: dark)').matches;
}
const theme = () => (dark() ? 'dark' : 'light');

if (box) {
  const script = document.createElement('script');
  script.src = 'https://giscus.app/client.js';
  for (const [key, value] of Object.entries({
    repo: box.dataset.repo,
    repoId: box.dataset.repoId,
    category: box.dataset.category,
    categoryId: box.dataset.categoryId,
    mapping: box.dataset.mapping,
    strict: '1',
    reactionsEnabled: '1',
    emitMetadata: '0',
    inputPosition: 'top',
    theme: theme(),
    lang: document.documentElement.lang || 'en',
    loading: 'lazy',
  })) {
    script.dataset[key] = value;
  }
  script.crossOrigin = 'anonymous';
  script.async = true;
  box.after(script);

  const follow = () => {
    const frame = document.querySelector('iframe.giscus-frame');
    frame?.contentWindow?.postMessage({ giscus: { setConfig: { theme: theme() } } }, 'https://giscus.app');
  };
  document.addEventListener('guild:scheme', follow);
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', follow);
}
