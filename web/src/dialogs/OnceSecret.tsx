/** A secret the office shows only once (an invite link, a token): selectable, with a copy button. */

import { useState, type ReactElement, type ReactNode } from "react";
import { Icon } from "../app/icons";
import { copyText } from "../chat/Markdown";

export function OnceSecret({ value, label, children }: { value: string; label: string; children?: ReactNode }): ReactElement {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => {
    const ok = await copyText(value);
    setCopied(ok);
    window.setTimeout(() => setCopied(null), 2000);
  };
  return (
    <div className="once-secret" data-secret={label}>
      <div className="once-secret-row">
        <input className="once-secret-value" value={value} readOnly aria-label={label} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn btn--primary btn--small" onClick={() => void copy()}>
          <Icon name={copied ? "check" : "copy"} size={14} /> {copied === null ? "Copy" : copied ? "Copied" : "Copy failed"}
        </button>
      </div>
      <p className="once-secret-note">
        <Icon name="lock" size={13} /> Shown only this once: copy it now and send it privately. {children}
      </p>
    </div>
  );
}
