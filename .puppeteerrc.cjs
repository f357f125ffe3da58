// Puppeteer must never try to download a browser on install: machines without network access to
// browser downloads (CI here) would fail `npm ci`. Tests find a browser themselves (tests/e2e/browsers.ts).
module.exports = { skipDownload: true };
