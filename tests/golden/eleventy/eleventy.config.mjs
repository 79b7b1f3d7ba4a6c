// Written by wpmigrate: serve media as they are and keep Markdown away from Liquid,
// which would execute {{ and {% found in old posts.
export default function (eleventyConfig) {
  eleventyConfig.addPassthroughCopy("media");
  eleventyConfig.addPassthroughCopy("_redirects");
  eleventyConfig.ignores.add("wpmigrate-report.json");
  return {
    markdownTemplateEngine: false,
    htmlTemplateEngine: false,
  };
}
