/** Day or night for the whole page: a data attribute the styles follow, and the browser's theme colour. */

import type { Theme } from "../store/storage";

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.querySelector('meta[name="theme-color"]')?.setAttribute("content", theme === "dark" ? "#151b3d" : "#fbf1e6");
}

export function prefersDark(): boolean {
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
}
