/**
 * What a browser that is not signed in sees instead of the office: how to get in (an invite link
 * from the owner, who makes one in the office or with `isomux invite`), a box to paste such a
 * link, and a way to check again. Meanwhile the client does not reconnect; it only asks the
 * office now and then whether this browser has been signed in (e.g. from another tab).
 */

import { useEffect, type ReactElement } from "react";
import { JOIN_PATH } from "../net/auth";
import { GhostBadge } from "../office";
import { LogoMark } from "./icons";
import { PasteInvite } from "./JoinPage";

export function SignedOut({ onCheck }: { onCheck(): void }): ReactElement {
  useEffect(() => {
    document.title = "Signed out · Isomux";
    return () => {
      document.title = "Isomux";
    };
  }, []);
  return (
    <main className="gate" data-page="signed-out">
      <div className="gate-card">
        <div className="gate-brand">
          <LogoMark size={30} />
          <span className="brand-name">isomux</span>
        </div>
        <div className="gate-ghosts" aria-hidden="true">
          <GhostBadge hue={220} size={58} />
        </div>
        <h1>You are not signed in</h1>
        <p className="gate-lead">This office only lets in people it has invited. To come in, you need an invite link from the office&apos;s owner.</p>
        <ul className="gate-steps">
          <li>
            Ask the owner for a link. They can make one in the office (the <strong>People</strong> menu), or by running <code>isomux invite</code> on the
            computer where the office runs.
          </li>
          <li>Open the link on this device: you choose your name, and you are in.</li>
        </ul>
        <PasteInvite onToken={(token) => window.location.assign(`${JOIN_PATH}#${token}`)} />
        <div className="gate-foot">
          <span className="muted small">Signed in meanwhile, in another tab?</span>
          <button type="button" className="btn btn--ghost btn--small" onClick={onCheck}>
            Check again
          </button>
        </div>
      </div>
    </main>
  );
}
