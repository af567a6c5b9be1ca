/** Short-lived notices at the bottom of the screen: what failed and why, or that something worked. */

import type { ReactElement } from "react";
import type { NoticeTone } from "./context";

export interface Notice {
  id: number;
  message: string;
  tone: NoticeTone;
}

export function Notices({ notices, onDismiss }: { notices: Notice[]; onDismiss(id: number): void }): ReactElement {
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice--${n.tone}`} role={n.tone === "error" ? "alert" : "status"}>
          <span className="notice-icon" aria-hidden="true">
            {n.tone === "error" ? "!" : n.tone === "success" ? "✓" : "i"}
          </span>
          <span className="notice-text">{n.message}</span>
          <button type="button" className="notice-close" aria-label="Dismiss" onClick={() => onDismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
