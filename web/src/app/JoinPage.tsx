/**
 * The page an invite link opens (`/join#<invite>`): the person says who they are and what to
 * call this device, the office answers with a sign-in cookie, and the page moves on to the
 * office with the invite gone from the address bar. The office's own words are shown when it
 * refuses (a used or expired invite, a name that is taken, a name it needs).
 */

import { useEffect, useState, type FormEvent, type ReactElement } from "react";
import { FormError } from "../dialogs/Modal";
import { acceptInvite, announceSignIn, guessDevice, inviteTokenFromHash, inviteTokenFromText } from "../net/auth";
import { messageOf } from "../net/errors";
import { GhostBadge } from "../office";
import { loadTheme, local } from "../store/storage";
import { LogoMark } from "./icons";
import { applyTheme, prefersDark } from "./theme";

/** Paste a whole invite link (or just its token); the callback gets the token. */
export function PasteInvite({ onToken, label = "Open" }: { onToken(token: string): void; label?: string }): ReactElement {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const token = inviteTokenFromText(text);
    if (token === null) {
      setError("That does not look like an invite link: it should end in #ixi_ followed by letters and digits.");
      return;
    }
    setError(null);
    onToken(token);
  };
  return (
    <form className="paste-invite" onSubmit={submit}>
      <label className="field-label" htmlFor="paste-invite">
        Paste the invite link you were sent
      </label>
      <div className="paste-invite-row">
        <input id="paste-invite" value={text} placeholder="https://…/join#ixi_…" autoComplete="off" spellCheck={false} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="btn btn--soft" disabled={text.trim() === ""}>
          {label}
        </button>
      </div>
      {error && <p className="field-error">{error}</p>}
    </form>
  );
}

export function JoinPage(): ReactElement {
  const [token, setToken] = useState(() => inviteTokenFromHash(window.location.hash));
  const [name, setName] = useState("");
  const [device, setDevice] = useState(() => guessDevice(navigator.userAgent));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => applyTheme(loadTheme(local(), prefersDark())), []);
  useEffect(() => {
    document.title = "Join · Isomux";
  }, []);

  const join = async (e: FormEvent) => {
    e.preventDefault();
    if (token === null || busy) return;
    setBusy(true);
    setError(null);
    try {
      await acceptInvite(token, name.trim() === "" ? null : name.trim(), device.trim());
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
      return;
    }
    announceSignIn("signed_in");
    // The invite is spent: take it out of the address bar and the history, then open the office.
    window.history.replaceState(null, "", "/");
    window.location.replace("/");
  };

  return (
    <main className="gate" data-page="join">
      <div className="gate-card">
        <div className="gate-brand">
          <LogoMark size={30} />
          <span className="brand-name">isomux</span>
        </div>
        <div className="gate-ghosts" aria-hidden="true">
          <GhostBadge hue={18} size={46} />
          <GhostBadge hue={200} size={58} />
          <GhostBadge hue={285} size={46} />
        </div>
        <h1>Join the office</h1>
        {token === null ? (
          <>
            <p className="gate-lead">
              This link is missing its invite. Open the whole link you were sent (the part after <code>#</code> matters), or paste it here.
            </p>
            <PasteInvite onToken={setToken} label="Continue" />
          </>
        ) : (
          <form onSubmit={(e) => void join(e)}>
            <p className="gate-lead">You were invited to an Isomux office, where people and coding agents work side by side. Tell it who you are.</p>
            <div className="field">
              <label className="field-label" htmlFor="join-name">
                Your name
              </label>
              <input id="join-name" value={name} maxLength={40} autoFocus autoComplete="name" placeholder="e.g. Nil" onChange={(e) => setName(e.target.value)} />
              <p className="field-hint">Everyone, agents included, sees it on your messages. Leave it empty if your invite already names you.</p>
            </div>
            <div className="field">
              <label className="field-label" htmlFor="join-device">
                This device
              </label>
              <input id="join-device" value={device} maxLength={40} placeholder="e.g. Laptop" onChange={(e) => setDevice(e.target.value)} />
              <p className="field-hint">Tells your devices apart, for example Laptop or Phone.</p>
            </div>
            <FormError message={error} />
            <button type="submit" className="btn btn--primary gate-submit" disabled={busy || device.trim() === ""}>
              {busy ? "Joining…" : "Join the office"}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
