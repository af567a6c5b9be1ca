/** Small line icons drawn for the app (24×24, currentColor). */

import type { ReactElement } from "react";

export type IconName =
  | "back"
  | "board"
  | "rules"
  | "sun"
  | "moon"
  | "user"
  | "plus"
  | "close"
  | "gear"
  | "stop"
  | "send"
  | "clip"
  | "history"
  | "more"
  | "edit"
  | "refresh"
  | "copy"
  | "check"
  | "trash"
  | "bolt"
  | "search"
  | "chevron"
  | "thought"
  | "lock"
  | "wrench"
  | "people"
  | "logout"
  | "link";

const PATHS: Record<IconName, ReactElement> = {
  back: <path d="M15 5l-7 7 7 7" />,
  board: (
    <>
      <rect x="4" y="4" width="16" height="16" rx="3" />
      <path d="M8 9h5M8 13h8M8 17h4" />
    </>
  ),
  rules: (
    <>
      <path d="M7 4h10a2 2 0 0 1 2 2v14l-3-2-3 2-3-2-3 2V6a2 2 0 0 1 0-2z" />
      <path d="M9 9h6M9 13h6" />
    </>
  ),
  sun: (
    <>
      <circle cx="12" cy="12" r="4" />
      <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
    </>
  ),
  moon: <path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z" />,
  user: (
    <>
      <circle cx="12" cy="8.5" r="3.5" />
      <path d="M5 20c1.2-3.6 4-5 7-5s5.8 1.4 7 5" />
    </>
  ),
  plus: <path d="M12 5v14M5 12h14" />,
  close: <path d="M6 6l12 12M18 6L6 18" />,
  gear: (
    <>
      <circle cx="12" cy="12" r="3" />
      <path d="M12 3v2.5M12 18.5V21M3 12h2.5M18.5 12H21M5.6 5.6l1.8 1.8M16.6 16.6l1.8 1.8M5.6 18.4l1.8-1.8M16.6 7.4l1.8-1.8" />
    </>
  ),
  stop: <rect x="6.5" y="6.5" width="11" height="11" rx="2" />,
  send: <path d="M4 12l16-8-6 16-2.5-6.5L4 12z" />,
  clip: <path d="M16.5 7.5l-7 7a2 2 0 0 0 2.8 2.8l7.4-7.4a4 4 0 0 0-5.6-5.6L6.6 11.8a6 6 0 0 0 8.5 8.5L20 15.5" />,
  history: (
    <>
      <path d="M4 12a8 8 0 1 0 2.4-5.7L4 8.5" />
      <path d="M4 4v4.5h4.5M12 8v4.5l3 2" />
    </>
  ),
  more: (
    <>
      <circle cx="6" cy="12" r="1.2" />
      <circle cx="12" cy="12" r="1.2" />
      <circle cx="18" cy="12" r="1.2" />
    </>
  ),
  edit: <path d="M5 19l1-4L16 5l3 3L9 18l-4 1zM14 7l3 3" />,
  refresh: (
    <>
      <path d="M19 12a7 7 0 1 1-2.1-5" />
      <path d="M19 4v4h-4" />
    </>
  ),
  copy: (
    <>
      <rect x="8" y="8" width="11" height="11" rx="2" />
      <path d="M5 15V6a1 1 0 0 1 1-1h9" />
    </>
  ),
  check: <path d="M5 12.5l4.5 4.5L19 7.5" />,
  trash: <path d="M5 7h14M10 7V5h4v2M7 7l1 12h8l1-12" />,
  bolt: <path d="M13 3L5 13.5h6L10 21l8-10.5h-6L13 3z" />,
  search: (
    <>
      <circle cx="11" cy="11" r="6" />
      <path d="M15.5 15.5L20 20" />
    </>
  ),
  chevron: <path d="M8 10l4 4 4-4" />,
  thought: (
    <>
      <path d="M7 15.5a4.5 4.5 0 0 1-.6-8.9A5 5 0 0 1 16 5.3a4.2 4.2 0 0 1 1.2 8.2A4 4 0 0 1 13 16H8.5z" />
      <circle cx="7" cy="19" r="1.2" />
      <circle cx="4.5" cy="21.3" r="0.6" />
    </>
  ),
  lock: (
    <>
      <rect x="5" y="10.5" width="14" height="10" rx="2.5" />
      <path d="M8 10.5V8a4 4 0 0 1 8 0v2.5M12 14.5v2.5" />
    </>
  ),
  people: (
    <>
      <circle cx="9" cy="9" r="3.2" />
      <path d="M3 19.5c.9-3.2 3.3-4.7 6-4.7s5.1 1.5 6 4.7" />
      <path d="M15.5 5.9a3.2 3.2 0 0 1 0 6.2M17.5 14.9c1.7.5 3 1.9 3.5 4.6" />
    </>
  ),
  logout: (
    <>
      <path d="M10 5H6a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h4" />
      <path d="M14 8l4 4-4 4M18 12H9" />
    </>
  ),
  link: (
    <>
      <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1" />
      <path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
    </>
  ),
  wrench: <path d="M14.5 4.5a4.5 4.5 0 0 0-4.2 6.1L4.5 16.4a1.9 1.9 0 0 0 2.7 2.7l5.8-5.8a4.5 4.5 0 0 0 6.1-4.2l-2.6 2.6-2.6-.7-.7-2.6z" />,
};

export function Icon({ name, size = 18, title }: { name: IconName; size?: number; title?: string }): ReactElement {
  return (
    <svg
      className={`icon icon--${name}`}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.9"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden={title === undefined}
      role={title === undefined ? undefined : "img"}
    >
      {title !== undefined && <title>{title}</title>}
      {PATHS[name]}
    </svg>
  );
}

/** The little isometric cube of the logo. */
export function LogoMark({ size = 26 }: { size?: number }): ReactElement {
  return (
    <svg className="logo-mark" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <path d="M16 3l11 6.3v13.4L16 29 5 22.7V9.3z" fill="#f2b134" />
      <path d="M16 3l11 6.3L16 15.6 5 9.3z" fill="#ffd27a" />
      <path d="M16 15.6V29l11-6.3V9.3z" fill="#e58a4e" />
      <path d="M10.5 12.4l5.5 3.2 5.5-3.2" fill="none" stroke="#fff6e0" strokeWidth="1.2" strokeLinecap="round" />
      <circle cx="16" cy="21.6" r="2.1" fill="#fff6e0" />
    </svg>
  );
}
