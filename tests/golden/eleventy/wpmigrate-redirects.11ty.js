// Written by wpmigrate: one small page per old URL, pointing at its new URL, so old
// links work on any static host (the --redirects files do it with a real 301).
export const data = {
  pagination: { data: "wpmigrate_redirects", size: 1, alias: "redirect" },
  permalink: (data) => data.redirect.from,
  eleventyExcludeFromCollections: true,
};

const escape = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

export function render({ redirect }) {
  const to = escape(redirect.to);
  return `<!doctype html><meta charset="utf-8"><title>Moved</title>` +
    `<link rel="canonical" href="${to}"><meta http-equiv="refresh" content="0; url=${to}">` +
    `<a href="${to}">${to}</a>\n`;
}
