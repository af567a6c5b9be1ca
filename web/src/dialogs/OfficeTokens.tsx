/**
 * Tokens for other offices: their agents send one as `Authorization: Bearer …` to file tasks and
 * message agents here. A token is shown once when made; afterwards only its label is listed,
 * and revoking it locks that office out at once.
 */

import { useCallback, useEffect, useId, useState, type FormEvent, type ReactElement } from "react";
import { Icon } from "../app/icons";
import { formatTime } from "../chat/format";
import { messageOf } from "../net/errors";
import { createOfficeToken, listOfficeTokens, revokeOfficeToken, type OfficeTokenInfo } from "../net/people";
import { Field, FormError } from "./Modal";
import { OnceSecret } from "./OnceSecret";

function TokenRow({ token, onRevoked }: { token: OfficeTokenInfo; onRevoked(): void }): ReactElement {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revoke = async () => {
    setBusy(true);
    try {
      await revokeOfficeToken(token.id);
      onRevoked();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };
  return (
    <li className="person-row" data-token={token.label}>
      <div className="person-main">
        <strong className="person-name">{token.label}</strong>
        <span className="muted small">made {formatTime(token.createdAt)}</span>
        {error && <span className="field-error">{error}</span>}
      </div>
      {confirming ? (
        <div className="person-confirm">
          <span className="small">Lock {token.label} out?</span>
          <button type="button" className="btn btn--ghost btn--small" onClick={() => setConfirming(false)}>
            Keep
          </button>
          <button type="button" className="btn btn--danger btn--small" disabled={busy} onClick={() => void revoke()}>
            Revoke
          </button>
        </div>
      ) : (
        <button type="button" className="btn btn--danger-soft btn--small" onClick={() => setConfirming(true)} aria-label={`Revoke the token for ${token.label}`}>
          Revoke
        </button>
      )}
    </li>
  );
}

export function OfficeTokens(): ReactElement {
  const ids = useId();
  const [tokens, setTokens] = useState<OfficeTokenInfo[] | null>(null);
  const [label, setLabel] = useState("");
  const [made, setMade] = useState<{ label: string; token: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    listOfficeTokens()
      .then(setTokens)
      .catch((failure: unknown) => setError(messageOf(failure)));
  }, []);
  useEffect(load, [load]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await createOfficeToken(label.trim());
      setMade({ label: created.label, token: created.token });
      setLabel("");
      load();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="office-tokens">
      <p className="modal-lead">
        Let the agents of another Isomux office file tasks and send messages here. They send the token as <code>Authorization: Bearer …</code> to{" "}
        <code>{window.location.origin}</code>.
      </p>
      {made !== null ? (
        <div className="invite-made">
          <p className="small">
            The token for <strong>{made.label}</strong>:
          </p>
          <OnceSecret value={made.token} label="Office token" />
          <button type="button" className="btn btn--soft btn--small" onClick={() => setMade(null)}>
            Done
          </button>
        </div>
      ) : (
        <form className="token-form" onSubmit={(e) => void submit(e)}>
          <Field label="Who is it for?" htmlFor={`${ids}-label`}>
            <div className="paste-invite-row">
              <input id={`${ids}-label`} value={label} maxLength={60} placeholder="e.g. Home office" onChange={(e) => setLabel(e.target.value)} />
              <button type="submit" className="btn btn--primary btn--small" disabled={busy || label.trim() === ""}>
                <Icon name="plus" size={14} /> Create token
              </button>
            </div>
          </Field>
        </form>
      )}
      <FormError message={error} />
      <h3 className="people-subhead">Tokens in use</h3>
      {tokens === null ? (
        <p className="muted">Loading…</p>
      ) : tokens.length === 0 ? (
        <p className="muted">No other office can reach this one.</p>
      ) : (
        <ul className="people-list">
          {tokens.map((t) => (
            <TokenRow key={t.id} token={t} onRevoked={load} />
          ))}
        </ul>
      )}
    </div>
  );
}
