/** Sanitised Markdown on the page, with working copy buttons on code blocks. */

import { memo, useMemo, type MouseEvent, type ReactElement } from "react";
import { renderMarkdown } from "./markdown";

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API unavailable (plain http on another host): fall back to a hidden textarea.
    const area = document.createElement("textarea");
    area.value = text;
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

function onCopyClick(e: MouseEvent<HTMLDivElement>): void {
  const button = (e.target as HTMLElement).closest("button.md-copy");
  if (!(button instanceof HTMLButtonElement)) return;
  const code = button.closest(".md-code")?.querySelector("code");
  if (!code) return;
  void copyText(code.textContent ?? "").then((ok) => {
    button.textContent = ok ? "Copied" : "Copy failed";
    window.setTimeout(() => {
      button.textContent = "Copy";
    }, 1500);
  });
}

function MarkdownImpl({ text, className = "" }: { text: string; className?: string }): ReactElement {
  // renderMarkdown sanitises: this is the only place model text becomes HTML.
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className={`md ${className}`} onClick={onCopyClick} dangerouslySetInnerHTML={{ __html: html }} />;
}

export const Markdown = memo(MarkdownImpl);
