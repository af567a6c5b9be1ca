/** Who is typing on this device: the name and device agents see as the sender of your messages. */

import { useState, type FormEvent, type ReactElement } from "react";
import { useApp } from "../app/context";
import { Field, Modal } from "./Modal";

export function YouDialog(): ReactElement {
  const api = useApp();
  const [name, setName] = useState(api.identity.name === "You" ? "" : api.identity.name);
  const [device, setDevice] = useState(api.identity.device);
  const label = `[${name.trim() || "You"}${device.trim() ? ` (${device.trim()})` : ""}]`;
  const save = (e: FormEvent) => {
    e.preventDefault();
    api.setIdentity({ name: name.trim() || "You", device: device.trim() });
    api.closeDialog();
  };
  return (
    <Modal
      title="You"
      onClose={api.closeDialog}
      size="small"
      footer={
        <>
          <span className="grow" />
          <button type="button" className="btn btn--ghost" onClick={api.closeDialog}>
            Cancel
          </button>
          <button type="submit" form="you-form" className="btn btn--primary">
            Save
          </button>
        </>
      }
    >
      <form id="you-form" onSubmit={save}>
        <Field label="Your name" htmlFor="you-name" hint="Agents see it on your messages, and it goes on the tasks you create.">
          <input id="you-name" value={name} maxLength={40} autoFocus placeholder="e.g. Nil" onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="This device" htmlFor="you-device" hint="Tells your devices apart when several send to one agent.">
          <input id="you-device" value={device} maxLength={40} placeholder="e.g. Phone" onChange={(e) => setDevice(e.target.value)} />
        </Field>
        <p className="field-hint">
          Your messages are labelled <code>{label}</code>
        </p>
      </form>
    </Modal>
  );
}
