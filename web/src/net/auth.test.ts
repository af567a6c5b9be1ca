import { describe, expect, it } from "vitest";
import { checkSignedIn, guessDevice, inviteLink, inviteTokenFromHash, inviteTokenFromText, isJoinPage } from "./auth";

const TOKEN = "ixi_Qm3vX9-abc_DEF1234567890xyz";

function answering(status: number): typeof fetch {
  return (() => Promise.resolve(new Response(status === 200 ? "{}" : "{}", { status }))) as typeof fetch;
}

describe("invite links", () => {
  it("carry the invite in the fragment", () => {
    expect(inviteTokenFromHash(`#${TOKEN}`)).toBe(TOKEN);
    expect(inviteLink("https://office.example:8443/", TOKEN)).toBe(`https://office.example:8443/join#${TOKEN}`);
  });

  it("a missing or mangled invite is not taken for one", () => {
    expect(inviteTokenFromHash("")).toBeNull();
    expect(inviteTokenFromHash("#/agent/a1")).toBeNull();
    expect(inviteTokenFromHash("#ixi_<script>")).toBeNull();
    expect(inviteTokenFromHash("#%E0%A4%A")).toBeNull();
  });

  it("a pasted link or a bare token both work", () => {
    expect(inviteTokenFromText(`  http://127.0.0.1:8080/join#${TOKEN}\n`)).toBe(TOKEN);
    expect(inviteTokenFromText(TOKEN)).toBe(TOKEN);
    expect(inviteTokenFromText("http://127.0.0.1:8080/")).toBeNull();
  });

  it("the join page is /join, with or without a trailing slash", () => {
    expect(isJoinPage("/join")).toBe(true);
    expect(isJoinPage("/join/")).toBe(true);
    expect(isJoinPage("/")).toBe(false);
    expect(isJoinPage("/joiner")).toBe(false);
  });
});

describe("the device's first name", () => {
  it("is guessed from the browser", () => {
    expect(guessDevice("Mozilla/5.0 (Linux; Android 14) Mobile")).toBe("Phone");
    expect(guessDevice("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)")).toBe("Phone");
    expect(guessDevice("Mozilla/5.0 (iPad; CPU OS 17_0)")).toBe("Tablet");
    expect(guessDevice("Mozilla/5.0 (X11; Linux x86_64)")).toBe("Laptop");
  });
});

describe("asking the office who this browser is", () => {
  it("401 means signed out; only that does", async () => {
    expect(await checkSignedIn(answering(401))).toBe("signed_out");
    expect(await checkSignedIn(answering(200))).toBe("signed_in");
    expect(await checkSignedIn(answering(429))).toBe("unknown");
    expect(await checkSignedIn(answering(503))).toBe("unknown");
  });

  it("an office that does not answer says nothing about signing in", async () => {
    const down = (() => Promise.reject(new TypeError("Failed to fetch"))) as typeof fetch;
    expect(await checkSignedIn(down)).toBe("unknown");
  });
});
