/** The office rules (the framed sign): a prompt every agent gets, and an env file for every agent session. */

import { useState, type ReactElement } from "react";
import { useApp } from "../app/context";
import { messageOf } from "../net/errors";
import { useAppState } from "../store/store";
import { Field, FormError, Modal } from "./Modal";
import { envHint, useEnvCheck } from "./useServerCheck";

export function RulesDialog(): ReactElement {
  const api = useApp();
  const office = useAppState((s) => s.server.office);
  const [prompt, setPrompt] = useState(office.prompt);
  const [envFile, setEnvFile] = useState(office.envFile);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const env = useEnvCheck(envFile);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.client.command({ type: "update_office", prompt, envFile: envFile.trim() });
      api.notify("Office rules saved; they apply from each agent's next conversation", "success");
      api.closeDialog();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };
  return (
    <Modal
      title="Office rules"
      onClose={api.closeDialog}
      busy={busy}
      footer={
        <>
          <span className="grow" />
          <button type="button" className="btn btn--ghost" onClick={api.closeDialog}>
            Cancel
          </button>
          <button type="button" className="btn btn--primary" disabled={busy || env.state === "bad"} onClick={() => void save()}>
            {busy ? "Saving…" : "Save rules"}
          </button>
        </>
      }
    >
      <p className="modal-lead">What every agent in every room is told, on top of its own instructions.</p>
      <Field label="Rules" htmlFor="rules-prompt" hint="Markdown is fine. Applies from each agent's next conversation.">
        <textarea id="rules-prompt" rows={8} value={prompt} autoFocus placeholder="e.g. Run the tests before saying you are done. Never push to main." onChange={(e) => setPrompt(e.target.value)} />
      </Field>
      <Field label="Env file" htmlFor="rules-env" error={env.state === "bad" ? env.message : null} hint={envHint(env, "Optional: an absolute path to a dotenv file merged into every agent's environment.")}>
        <input id="rules-env" value={envFile} spellCheck={false} placeholder="/home/you/.config/isomux/office.env" onChange={(e) => setEnvFile(e.target.value)} />
      </Field>
      <FormError message={error} />
    </Modal>
  );
}
