/**
 * Markdown for agent replies: GitHub-flavoured Markdown through `marked`, code highlighted with
 * highlight.js, and every result passed through DOMPurify before it reaches the page.
 *
 * Model output is untrusted (a prompt injection can make an agent write anything), so the
 * sanitiser keeps a short list of tags and attributes, only http(s)/mailto and relative links
 * (`javascript:` and friends are removed), makes links open in a new tab without access to this
 * page (`rel="noopener noreferrer"`), keeps only its own class names (so output cannot dress up
 * as the app's buttons), and never loads remote images: an image becomes a link, because an image
 * URL chosen by a model is a way to leak data to another site.
 */

import DOMPurify, { type Config } from "dompurify";
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import dockerfile from "highlight.js/lib/languages/dockerfile";
import go from "highlight.js/lib/languages/go";
import ini from "highlight.js/lib/languages/ini";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import plaintext from "highlight.js/lib/languages/plaintext";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import shell from "highlight.js/lib/languages/shell";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { Marked, Renderer, type Tokens } from "marked";

const LANGUAGES = { bash, c, cpp, css, diff, dockerfile, go, ini, java, javascript, json, markdown, plaintext, python, rust, shell, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
hljs.registerAliases(["sh", "zsh", "console"], { languageName: "bash" });
hljs.registerAliases(["js", "jsx", "mjs"], { languageName: "javascript" });
hljs.registerAliases(["ts", "tsx"], { languageName: "typescript" });
hljs.registerAliases(["py"], { languageName: "python" });
hljs.registerAliases(["html", "svg"], { languageName: "xml" });
hljs.registerAliases(["yml"], { languageName: "yaml" });
hljs.registerAliases(["toml"], { languageName: "ini" });
hljs.registerAliases(["text", "txt"], { languageName: "plaintext" });

/** Guessing a language is slow on big blocks; past this size they stay plain. */
const AUTO_DETECT_LIMIT = 6_000;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Highlighted HTML for a code block (escaped; highlight.js output is spans with `hljs-*` classes). */
export function highlight(code: string, lang: string | undefined): { html: string; language: string } {
  const wanted = (lang ?? "").trim().toLowerCase().split(/\s+/)[0] ?? "";
  if (wanted !== "" && hljs.getLanguage(wanted) !== undefined) {
    return { html: hljs.highlight(code, { language: wanted, ignoreIllegals: true }).value, language: wanted };
  }
  if (wanted === "" && code.length <= AUTO_DETECT_LIMIT) {
    const guess = hljs.highlightAuto(code);
    if (guess.language !== undefined && guess.relevance >= 5) return { html: guess.value, language: "" };
  }
  return { html: escapeHtml(code), language: wanted };
}

const parser = new Marked({ gfm: true, breaks: true, async: false });
parser.use({
  renderer: {
    code(token: Tokens.Code): string {
      const { html, language } = highlight(token.text, token.lang);
      const label = language === "" ? "code" : language;
      return (
        `<div class="md-code"><div class="md-code-head"><span class="md-code-lang">${escapeHtml(label)}</span>` +
        `<button type="button" class="md-copy">Copy</button></div><pre><code class="hljs">${html}</code></pre></div>\n`
      );
    },
    image(token: Tokens.Image): string {
      const label = token.text.trim() === "" ? "image" : token.text;
      return `<a href="${escapeHtml(token.href)}" class="md-image-link">${escapeHtml(`image: ${label}`)}</a>`;
    },
    table(token: Tokens.Table): string {
      // Wrapped so wide tables scroll inside the chat instead of widening it.
      return `<div class="md-table">${Renderer.prototype.table.call(this, token)}</div>`;
    },
  },
});

const ALLOWED_TAGS = [
  "a", "b", "blockquote", "br", "button", "code", "del", "details", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
  "hr", "i", "input", "kbd", "li", "mark", "ol", "p", "pre", "s", "span", "strong", "sub", "summary", "sup", "table",
  "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
];
const ALLOWED_ATTR = ["href", "title", "class", "type", "checked", "disabled", "start", "align", "colspan", "rowspan", "open"];
/** http(s) and mailto, or no scheme at all (relative links and #anchors). */
const SAFE_URI = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;
const OWN_CLASS = /^(?:hljs(?:-[\w-]+)?|language-[\w+#-]+|md-[\w-]+)$/;

const CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOWED_URI_REGEXP: SAFE_URI,
  FORBID_TAGS: ["style", "script", "iframe", "object", "embed", "form", "img", "svg", "math", "video", "audio", "source"],
  KEEP_CONTENT: true,
};

type Purifier = ReturnType<typeof DOMPurify>;
let purifier: Purifier | null = null;

function getPurifier(): Purifier {
  if (purifier !== null) return purifier;
  const made = DOMPurify(window);
  made.addHook("uponSanitizeAttribute", (_node, data) => {
    if (data.attrName === "class") {
      data.attrValue = data.attrValue.split(/\s+/).filter((name) => OWN_CLASS.test(name)).join(" ");
    }
  });
  made.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A") {
      if (node.hasAttribute("href")) {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      }
    } else if (node.tagName === "INPUT") {
      // Only GitHub task-list boxes: read-only checkboxes.
      node.setAttribute("type", "checkbox");
      node.setAttribute("disabled", "");
    } else if (node.tagName === "BUTTON") {
      node.setAttribute("type", "button");
    }
  });
  purifier = made;
  return made;
}

/** Clean untrusted HTML with the rules above. */
export function sanitize(html: string): string {
  return getPurifier().sanitize(html, { ...CONFIG, RETURN_TRUSTED_TYPE: false }) as string;
}

/** Markdown text (from an agent) as safe HTML. */
export function renderMarkdown(source: string): string {
  const html = parser.parse(source, { async: false });
  return sanitize(html);
}
