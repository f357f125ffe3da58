// @ts-check
/**
 * A heavy synthetic Instagram page for the content-script benchmark (scripts/bench-content.mjs).
 *
 * It follows the markup facts in docs/INSTAGRAM.md: structure anchored on `<main role="main">`, `<article>`, `href` prefixes,
 * `role`, `dir` and `aria-label`; generated class names that mean nothing; 30 `data-sjs` JSON blobs (about 20 KB each)
 * with the `PolarisViewer` tuple nested in one of them. The server HTML is only the shell; a page script renders every
 * route on the client, as Instagram's does, and keeps the page busy the way Instagram does:
 * - 40 posts of about 100 DOM nodes each behind deep wrapper divs (over 5000 nodes on the feed),
 * - more posts appended when the feed is scrolled near its end (an IntersectionObserver on a sentinel),
 * - DOM churn every 500 ms (like counts, timestamps, a button state) plus a little JavaScript "reconciliation",
 * - SPA navigations with `history.pushState` (links are intercepted; the benchmark calls `window.heavyFeed.navigate`)
 *   that re-render main's content: feed, explore, tag page, post page, profiles (the viewer's own too) and reels.
 * Everything is generated from a fixed seed, so every run of the benchmark sees the same page.
 */

/**
 * What the page script gets from here.
 * @typedef {{ seed: number, users: string[], tags: string[], words: string[], viewer: typeof viewer,
 *   initialPosts: number, appendedPosts: number }} FeedConfig
 */

/** The logged-in person the page embeds in its `PolarisViewer` tuple. */
const viewer = { username: 'maya.rivers', full_name: 'Maya Rivers', id: '4410293' };

const users = ['sol.kitchen', 'trailrunner.jo', 'nina_draws', 'urban.lens', 'kai.surfs', 'bookish.ana', 'moss.garden'];
const tags = ['sourdough', 'baking', 'trailrunning', 'sketchbook', 'streetphotography', 'surf', 'bookstagram', 'café'];
const words =
  'the morning light over quiet streets again finally right slow weekend coffee with friends new work in progress'
    .split(' ')
    .concat(['fog', 'ridge', 'bread', 'ink', 'waves', 'pages', 'moss', 'city']);

/**
 * One SPA navigation cycle of 10 routes starting and ending on the feed, so that every 10th navigation lands on a
 * freshly rendered feed: heap and node samples taken there are comparable with each other.
 */
export const navigationCycle = [
  '/',
  '/explore/',
  '/explore/tags/sourdough/',
  '/p/DCx8sP1oQ2a/',
  '/trailrunner.jo/',
  '/reels/',
  `/explore/tags/${encodeURIComponent('café')}/`,
  `/${viewer.username}/`,
  '/p/DCy2mW7oR9b/',
  '/explore/',
];

/** The whole document served at https://www.instagram.com/ (any path: the page script renders the route). */
export function heavyFeedHtml() {
  /** @type {FeedConfig} */
  const config = { seed: 20261125, users, tags, words, viewer, initialPosts: 40, appendedPosts: 12 };
  return `<!DOCTYPE html>
<html lang="en" class="_9dls" dir="ltr">
<head>
<meta charset="utf-8">
<title>Instagram</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:site_name" content="Instagram">
<link rel="canonical" href="https://www.instagram.com/">
<style>${stylesheet}</style>
${dataSjsBlobs(config.seed).join('\n')}
</head>
<body>
<div id="mount_0_0_Xy"></div>
<script>
${seededRandom.toString()}
(${pageApp.toString()})(${JSON.stringify(config)});
</script>
</body>
</html>`;
}

// Atomic class names in Instagram's style; the content script must not (and cannot usefully) rely on them.
const stylesheet = `
body{margin:0;font:14px system-ui,sans-serif}
.x1n2onr6{display:flex}.x9f619{flex:1}.xnav{width:240px;position:fixed;top:0;bottom:0}
.xmain{margin-left:260px;max-width:630px}
.x1lliihq{display:block;margin:0 auto 24px;max-width:470px;border-bottom:1px solid #ddd}
.x5yr21d{height:320px;background:#eee}.x5yr21d img,.x5yr21d video{width:100%;height:100%}
.xgrid{display:grid;grid-template-columns:repeat(3,1fr);gap:4px}.xgrid img{width:100%;aspect-ratio:1}
.xreels{height:100vh;overflow-y:scroll;scroll-snap-type:y mandatory}.xreel{height:100vh;scroll-snap-align:start}
.xsvg{width:24px;height:24px}`;

/**
 * A small deterministic generator (mulberry32): the blobs and the page's content are the same in every run.
 * @param {number} seed
 * @returns {() => number} uniform in [0, 1)
 */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Instagram's server-side JS payloads: 30 blobs of filler modules, the PolarisViewer tuple nested inside
 * `require[0][3][0].__bbox.define[i]` of one of them, as in saved real pages.
 * @param {number} seed
 * @returns {string[]}
 */
function dataSjsBlobs(seed) {
  const random = seededRandom(seed);
  const token = () => Math.floor(random() * 2 ** 32).toString(36);
  const blobs = [];
  for (let blob = 0; blob < 30; blob++) {
    /** @type {unknown[]} */
    const define = [];
    for (let entry = 0; entry < 60; entry++) {
      const data = { id: token(), items: Array.from({ length: 12 }, () => ({ key: token(), value: token() })) };
      define.push([`RelayPrefetchedStreamCache_${blob}_${entry}`, [], { __rc: [data, null] }, entry]);
    }
    if (blob === 17) define.splice(23, 0, ['PolarisViewer', [], { data: viewer, id: viewer.id }, 7]);
    const payload = { require: [['ScheduledServerJS', 'handle', null, [{ __bbox: { define } }]]] };
    blobs.push(`<script type="application/json" data-sjs>${JSON.stringify(payload)}</script>`);
  }
  return blobs;
}

/**
 * The page's own script. It runs in the page (serialised with toString), so from this module it uses only
 * `seededRandom`, which the page defines next to it; everything else comes in `config`.
 * @param {FeedConfig} config
 */
function pageApp(config) {
  const random = seededRandom(config.seed);
  /** @template T @param {T[]} list @returns {T} */
  const pick = (list) => /** @type {T} */ (list[Math.floor(random() * list.length)]);
  const alphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'];
  const shortcode = () => Array.from({ length: 11 }, () => pick(alphabet)).join('');
  const count = () => Math.floor(random() * 20000).toLocaleString('en-US');

  /**
   * createElement in the way a UI framework calls it: a tag, attributes, children (elements or strings).
   * @param {string} tag
   * @param {Record<string, string> | null} attributes
   * @param {...(Node | string | null)} children
   * @returns {Element}
   */
  const h = (tag, attributes, ...children) => {
    const element =
      tag === 'svg' || tag === 'path'
        ? document.createElementNS('http://www.w3.org/2000/svg', tag)
        : document.createElement(tag);
    for (const [name, value] of Object.entries(attributes ?? {})) element.setAttribute(name, value);
    for (const child of children) if (child !== null) element.append(child);
    return element;
  };
  /**
   * Instagram nests content in many layout divs; `depth` of them around `child`.
   * @param {number} depth
   * @param {Element} child
   */
  const wrap = (depth, child) => {
    let element = child;
    for (let level = 0; level < depth; level++)
      element = h('div', { class: `x${(level * 7919).toString(36)} x1n2onr6` }, element);
    return element;
  };
  /** @param {string} label */
  const icon = (label) =>
    h('svg', { 'aria-label': label, class: 'xsvg', viewBox: '0 0 24 24' }, h('path', { d: 'M1 1h22v22H1z' }));
  /** @param {number} length */
  const sentence = (length) => Array.from({ length }, () => pick(config.words)).join(' ');
  /** @param {string} tag */
  const tagLink = (tag) =>
    h('a', { href: `/explore/tags/${encodeURIComponent(tag)}/`, role: 'link', tabindex: '0' }, `#${tag}`);
  /** @param {string} user */
  const userLink = (user) =>
    h('a', { href: `/${user}/`, role: 'link', tabindex: '0' }, h('span', { dir: 'auto' }, user));
  /** @param {string} author @param {number} tagCount @param {string} element */
  const caption = (author, tagCount, element) =>
    h(
      element,
      { dir: 'auto' },
      userLink(author),
      ` ${sentence(8)} `,
      ...Array.from({ length: tagCount }, () => [tagLink(pick(config.tags)), ' ']).flat(),
    );

  /**
   * A feed post (about 100 nodes). Its shape depends only on its position, so every render of the feed has the same
   * number of nodes (the benchmark compares node counts across renders); its content is random. On the post page the
   * caption is an h1, as in 2024 markup.
   * @param {number} position
   */
  const post = (position, captionElement = 'span') => {
    const author = pick(config.users);
    const code = shortcode();
    const media =
      position % 3 === 1
        ? h(
            'div',
            { 'aria-label': 'Video player', role: 'group' },
            h('video', { playsinline: '', preload: 'none' }),
            h('button', { 'aria-label': 'Toggle audio' }, icon('Audio is muted')),
          )
        : h('img', { alt: `Photo by ${author}.`, src: 'data:,' });
    return h(
      'article',
      { class: 'x1lliihq' },
      wrap(
        3,
        h(
          'div',
          null,
          h(
            'header',
            null,
            wrap(
              2,
              h(
                'a',
                { href: `/${author}/`, role: 'link' },
                h('img', { alt: `${author}'s profile picture`, src: 'data:,' }),
              ),
            ),
            wrap(2, userLink(author)),
            h('span', null, '•'),
            h(
              'a',
              { href: `/p/${code}/`, role: 'link' },
              h('time', { datetime: new Date(Date.UTC(2026, 10, 24)).toISOString() }, '3h'),
            ),
            h('div', { role: 'button', tabindex: '0' }, 'Follow'),
            h('div', { role: 'button', tabindex: '0' }, icon('More options')),
          ),
          h('div', { class: 'x5yr21d' }, wrap(3, media)),
          h(
            'section',
            null,
            ...['Like', 'Comment', 'Share post', 'Save'].map((label) =>
              h('span', null, h('div', { role: 'button', 'aria-pressed': 'false' }, icon(label))),
            ),
          ),
          h(
            'section',
            null,
            wrap(
              2,
              h(
                'a',
                { href: `/p/${code}/liked_by/`, role: 'link' },
                h('span', { 'data-likes': '' }, count()),
                ' likes',
              ),
            ),
          ),
          wrap(2, caption(author, position % 6, captionElement)),
          h('a', { href: `/p/${code}/comments/`, role: 'link' }, `View all ${count()} comments`),
          h(
            'ul',
            null,
            ...Array.from({ length: 3 }, (_, comment) => {
              const tag = (position + comment) % 3 === 0 ? tagLink(pick(config.tags)) : null;
              return h(
                'li',
                null,
                wrap(
                  2,
                  h('div', null, userLink(pick(config.users)), h('span', { dir: 'auto' }, sentence(5), ' ', tag)),
                ),
              );
            }),
          ),
          h(
            'section',
            null,
            h(
              'form',
              { method: 'POST' },
              h('textarea', { 'aria-label': 'Add a comment…', placeholder: 'Add a comment…' }),
              h('div', { role: 'button' }, 'Post'),
            ),
          ),
        ),
      ),
    );
  };

  /** @param {number} tiles @param {(code: string) => string} hrefFor */
  const grid = (tiles, hrefFor) =>
    h(
      'div',
      { class: 'xgrid' },
      ...Array.from({ length: tiles }, () =>
        h(
          'a',
          { href: hrefFor(shortcode()), role: 'link' },
          wrap(2, h('img', { alt: sentence(4), src: 'data:,' })),
          h('div', null, h('span', null, count()), h('span', null, count())),
        ),
      ),
    );

  // Instagram fetches the next page of posts well before the end of the feed is on screen.
  /** @type {Element | null} */
  let feedSentinel = null;
  let feedLength = 0;
  const appendObserver = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting) || !feedSentinel) return;
      feedSentinel.before(...Array.from({ length: config.appendedPosts }, () => post(feedLength++)));
    },
    { rootMargin: '0px 0px 4000px 0px' },
  );

  const views = {
    feed: () => {
      feedSentinel = h('div', { 'aria-hidden': 'true' });
      appendObserver.observe(feedSentinel);
      feedLength = config.initialPosts;
      return h('div', null, ...Array.from({ length: feedLength }, (_, position) => post(position)), feedSentinel);
    },
    explore: () => grid(45, (code) => `/p/${code}/`),
    tag: (/** @type {string} */ tag) =>
      h(
        'div',
        null,
        h('header', null, h('h2', { dir: 'auto' }, `#${decodeURIComponent(tag)}`), h('span', null, `${count()} posts`)),
        grid(33, (code) => `/p/${code}/`),
      ),
    post: () =>
      h(
        'div',
        null,
        post(0, 'h1'),
        h(
          'ul',
          null,
          ...Array.from({ length: 20 }, () =>
            h('li', null, userLink(pick(config.users)), h('span', { dir: 'auto' }, sentence(6))),
          ),
        ),
      ),
    profile: (/** @type {string} */ user) => {
      const followers = count();
      return h(
        'div',
        null,
        h(
          'header',
          null,
          h('img', { alt: `${user}'s profile picture`, src: 'data:,' }),
          h(
            'section',
            null,
            h('h2', { dir: 'auto' }, user),
            h(
              'ul',
              null,
              h('li', null, h('span', null, h('span', null, count())), ' posts'),
              h(
                'li',
                null,
                h(
                  'a',
                  { href: `/${user}/followers/`, role: 'link' },
                  h('span', { title: followers }, h('span', null, followers)),
                  ' followers',
                ),
              ),
              h(
                'li',
                null,
                h(
                  'a',
                  { href: `/${user}/following/`, role: 'link' },
                  h('span', null, h('span', null, count())),
                  ' following',
                ),
              ),
            ),
          ),
        ),
        grid(24, (code) => `/${user}/p/${code}/`),
      );
    },
    reels: () =>
      h(
        'div',
        { class: 'xreels' },
        ...Array.from({ length: 3 }, () => {
          const author = pick(config.users);
          return h(
            'div',
            { class: 'xreel' },
            wrap(
              3,
              h(
                'div',
                { 'aria-label': 'Video player', role: 'group' },
                h('video', { playsinline: '', preload: 'none' }),
              ),
            ),
            h('a', { href: `/${author}/reels/`, role: 'link' }, h('span', { dir: 'auto' }, author)),
            h('span', { dir: 'auto' }, '•'),
            h('div', { dir: 'auto' }, sentence(6), h('br', null), tagLink(pick(config.tags))),
            h('a', { href: `/reels/audio/${Math.floor(random() * 1e15)}/`, role: 'link' }, 'Original audio'),
          );
        }),
      ),
  };

  /** @param {string} path */
  const viewFor = (path) => {
    const segments = path.split('/').filter(Boolean);
    if (segments.length === 0) return views.feed();
    if (segments[0] === 'explore') return segments[1] === 'tags' ? views.tag(segments[2] ?? '') : views.explore();
    if (segments[0] === 'p') return views.post();
    if (segments[0] === 'reels') return views.reels();
    return views.profile(segments[0] ?? '');
  };

  const main = h('main', { class: 'xmain', role: 'main' });
  const badge = h('span', null, '0');
  const nav = h(
    'nav',
    { class: 'xnav', 'aria-label': 'Primary' },
    ...[
      { href: '/', label: 'Home' },
      { href: '/explore/', label: 'Explore' },
      { href: '/reels/', label: 'Reels' },
      { href: '/direct/inbox/', label: 'Messages' },
    ].map(({ href, label }) => h('a', { href, role: 'link', tabindex: '0' }, h('span', null, label))),
    h(
      'a',
      { href: `/${config.viewer.username}/`, role: 'link', tabindex: '0' },
      h('img', { alt: `${config.viewer.username}'s profile picture`, src: 'data:,' }),
      h('span', null, 'Profile'),
    ),
    badge,
  );
  /** @type {HTMLElement} */ (document.getElementById('mount_0_0_Xy')).append(
    wrap(6, h('div', { class: 'x9f619' }, nav, wrap(4, main))),
  );

  /** @param {string} path */
  const render = (path) => {
    if (feedSentinel) appendObserver.unobserve(feedSentinel);
    feedSentinel = null;
    main.replaceChildren(wrap(3, viewFor(path)));
    window.scrollTo(0, 0);
  };
  /** @param {string} path */
  const navigate = (path) => {
    history.pushState({}, '', path);
    render(path);
  };
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href^="/"]') : null;
    if (!link) return;
    event.preventDefault();
    navigate(link.getAttribute('href') ?? '/');
  });
  addEventListener('popstate', () => render(location.pathname));

  // Instagram's own background work: live counts, relative timestamps, and a framework diffing its state.
  /** @type {{ index: number, likes: number }[]} */
  let previousState = [];
  setInterval(() => {
    const articles = [...main.querySelectorAll('article')];
    for (let change = 0; change < 3 && articles.length > 0; change++) {
      const article = pick(articles);
      const likes = article.querySelector('[data-likes]');
      if (likes) likes.textContent = count();
      const time = article.querySelector('time');
      if (time) time.textContent = `${Math.floor(random() * 23) + 1}h`;
      article.querySelector('[aria-pressed]')?.setAttribute('aria-pressed', String(random() < 0.5));
    }
    badge.textContent = String(Math.floor(random() * 9));
    const nextState = Array.from({ length: 10000 }, (_, index) => ({ index, likes: Math.floor(random() * 1000) }));
    const changed = nextState.filter((item) => previousState[item.index]?.likes !== item.likes).length;
    previousState = nextState;
    badge.setAttribute('aria-label', `${changed} updates`);
  }, 500);

  Object.assign(window, { heavyFeed: { navigate } });
  render(location.pathname);
}
