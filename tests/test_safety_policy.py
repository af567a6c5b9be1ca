"""What the safety policy lets agents do, and what it stops, however the request is dressed up."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isomux.safety import PolicyContext, Verdict, check_command, check_read_path, check_tool, check_write_path

CTX = PolicyContext.for_agent(
    cwd=Path("/home/u/proj"),
    isomux_home=Path("/home/u/.isomux"),
    env={"HOME": "/home/u", "TMPDIR": "/tmp/agent-1"},
)
GIT, RM, ISOMUX, SECRET, UNPARSEABLE = (
    "git-destructive",
    "rm-recursive",
    "isomux-home-write",
    "secret-read",
    "unparseable",
)


def denied(command: str | list[str], rule: str, ctx: PolicyContext = CTX) -> Verdict:
    verdict = check_command(command, ctx)
    assert not verdict.allowed, f"{command!r} was allowed"
    assert verdict.rule == rule, verdict.reason
    return verdict


@pytest.mark.parametrize(
    ("command", "rule"),
    [
        # Destructive git, plain and through git's global options.
        pytest.param("git reset --hard", GIT, id="reset-hard"),
        pytest.param("git reset --merge ORIG_HEAD", GIT, id="reset-merge"),
        pytest.param("git reset --har", GIT, id="reset-abbreviated-option"),
        pytest.param("git checkout -- src/app.py", GIT, id="checkout-paths"),
        pytest.param("git checkout HEAD~1 -- src/app.py", GIT, id="checkout-ref-paths"),
        pytest.param("git checkout .", GIT, id="checkout-dot"),
        pytest.param("git checkout -f main", GIT, id="checkout-force"),
        pytest.param("git restore src/app.py", GIT, id="restore"),
        pytest.param("git restore -W src/app.py", GIT, id="restore-worktree-short"),
        pytest.param("git restore --staged --worktree f", GIT, id="restore-staged-and-worktree"),
        pytest.param("git restore -SW f", GIT, id="restore-combined-flags"),
        pytest.param("git clean -fdx", GIT, id="clean-combined"),
        pytest.param("git clean -x -d -f", GIT, id="clean-separate"),
        pytest.param("git clean --force", GIT, id="clean-long"),
        pytest.param("git push --force", GIT, id="push-force"),
        pytest.param("git push -f origin main", GIT, id="push-f"),
        pytest.param("git push -uf origin main", GIT, id="push-f-in-cluster"),
        pytest.param("git push --force-if-includes", GIT, id="push-force-if-includes"),
        pytest.param("git push origin +main", GIT, id="push-plus-refspec"),
        pytest.param("git push origin +HEAD:refs/heads/x", GIT, id="push-plus-full-refspec"),
        pytest.param("git branch -D feature", GIT, id="branch-D"),
        pytest.param("git branch --delete --force feature", GIT, id="branch-delete-force"),
        pytest.param("git stash drop", GIT, id="stash-drop"),
        pytest.param("git stash clear", GIT, id="stash-clear"),
        pytest.param("git -C repo reset --hard HEAD~1", GIT, id="git-C"),
        pytest.param("git --git-dir=x/.git reset --hard", GIT, id="git-dir"),
        pytest.param("git -c core.pager=cat --no-pager reset --hard", GIT, id="git-c"),
        pytest.param("git -c alias.nuke='reset --hard' nuke", GIT, id="alias-defined-inline"),
        pytest.param("git -c alias.x='!rm -rf ~' x", RM, id="shell-alias-defined-inline"),
        pytest.param("/usr/bin/git reset --hard", GIT, id="absolute-git"),
        pytest.param("git re''set --ha\"rd\"", GIT, id="quotes-inside-words"),
        # Through wrappers and shells.
        pytest.param("bash -lc 'git reset --hard'", GIT, id="bash-lc"),
        pytest.param("`git clean -fdx`", GIT, id="backticks"),
        pytest.param("eval 'git push -f'", GIT, id="eval"),
        pytest.param("echo ok && sh -c \"bash -c 'git stash clear'\"", GIT, id="shell-in-shell"),
        pytest.param("bash <<'EOF'\ngit reset --hard\nEOF", GIT, id="shell-reading-heredoc"),
        pytest.param("echo 'git reset --hard' | sh", GIT, id="echo-into-sh"),
        pytest.param("find . -name .git -execdir git reset --hard \\;", GIT, id="find-exec-git"),
        pytest.param(["bash", "-lc", "git reset --hard"], GIT, id="argv-list"),
        pytest.param(["git", "push", "--force"], GIT, id="argv-list-direct"),
        # Recursive forced removal outside temp dirs.
        pytest.param("rm -rf build", RM, id="relative"),
        pytest.param("rm -fr build", RM, id="fr"),
        pytest.param("rm -Rf build", RM, id="Rf"),
        pytest.param("rm -r -f build", RM, id="separate-flags"),
        pytest.param("rm --recursive --force build", RM, id="long-flags"),
        pytest.param("rm -vrfi build", RM, id="flags-in-any-order"),
        pytest.param("rm -rf -- build", RM, id="double-dash"),
        pytest.param("/bin/rm -rf /", RM, id="absolute-rm-root"),
        pytest.param('sh -c "rm -rf ~"', RM, id="sh-c-home"),
        pytest.param("env X=1 rm -fr ~/src", RM, id="env"),
        pytest.param("cd / && rm -rf *", RM, id="cd-root-glob"),
        pytest.param('echo x; rm -r -f "$HOME"', RM, id="quoted-HOME"),
        pytest.param("$(rm -rf ~)", RM, id="command-substitution"),
        pytest.param("sudo -u root rm -rf /srv", RM, id="sudo"),
        pytest.param("xargs rm -rf < list", RM, id="xargs"),
        pytest.param("find . -type f | xargs -0 rm -rf", RM, id="xargs-in-pipeline"),
        pytest.param("/bin/bash -lc 'rm -rf /home/u/proj'", RM, id="codex-style-string"),
        pytest.param("nohup rm -rf x &", RM, id="background"),
        pytest.param("timeout 5 nice -n 10 rm -rf x", RM, id="timeout-nice"),
        pytest.param("command rm -rf x", RM, id="command-builtin"),
        pytest.param("r\\m -rf ~", RM, id="escaped-name"),
        pytest.param("'rm' -rf ~", RM, id="quoted-name"),
        pytest.param("rm -rf ..", RM, id="parent"),
        pytest.param("rm -rf .", RM, id="cwd"),
        pytest.param("rm -rf /tmp/../home/u", RM, id="climbs-out-of-tmp"),
        pytest.param("rm -rf /tmp/*/../..", RM, id="glob-climbs-out-of-tmp"),
        pytest.param("rm -rf /tmp/{a,../../home}", RM, id="brace-climbs-out-of-tmp"),
        pytest.param("rm -rf /tmp", RM, id="the-temp-dir-itself"),
        pytest.param("rm -rf $BUILD_DIR/out", RM, id="unknown-variable"),
        pytest.param('rm -rf "$(pwd)"', RM, id="unknown-substitution"),
        pytest.param("rm -rf ~bob", RM, id="other-users-home"),
        pytest.param("cd /tmp; rm -rf build", RM, id="cd-may-have-failed"),
        pytest.param("cd /tmp || rm -rf build", RM, id="runs-only-if-cd-failed"),
        pytest.param("(cd /tmp) && rm -rf build", RM, id="cd-in-subshell-does-not-count"),
        pytest.param('cd "$X" && rm -rf build', RM, id="cd-to-unknown"),
        pytest.param("cat <<EOF | sh\nrm -rf ~\nEOF", RM, id="heredoc-piped-to-sh"),
        pytest.param("cat <<EOF\n$(rm -rf ~)\nEOF", RM, id="substitution-in-heredoc"),
        pytest.param("find ~ -name '*.pyc' -delete", RM, id="find-delete"),
        pytest.param("find . -exec rm {} +", RM, id="find-exec-rm"),
        pytest.param("find /tmp/x -exec sh -c 'rm -rf \"$1\"' _ {} \\;", RM, id="find-exec-shell"),
        pytest.param("shred -u notes.txt", RM, id="shred"),
        pytest.param("$(which rm) -rf build", RM, id="computed-program-name"),
        pytest.param("a=rm; $a -rf ~", RM, id="program-in-a-variable"),
        pytest.param('"$VENV/bin/rm" -rf build', RM, id="program-under-a-variable-dir"),
        pytest.param("trap 'rm -rf ~' EXIT", RM, id="trap"),
        pytest.param("watch -n 5 rm -rf build", RM, id="watch"),
        # Writes into ISOMUX_HOME.
        pytest.param("echo hi > ~/.isomux/agents.json", ISOMUX, id="redirect"),
        pytest.param("echo hi >> /home/u/.isomux/x", ISOMUX, id="append-absolute"),
        pytest.param("echo hi &> ~/.isomux/x", ISOMUX, id="redirect-both"),
        pytest.param('echo hi >| "$HOME/.isomux/x"', ISOMUX, id="clobber"),
        pytest.param("tee -a ~/.isomux/x", ISOMUX, id="tee"),
        pytest.param("echo x | sudo tee ~/.isomux/x", ISOMUX, id="sudo-tee"),
        pytest.param("dd if=/dev/zero of=$HOME/.isomux/x", ISOMUX, id="dd"),
        pytest.param("cp notes.txt ~/.isomux/", ISOMUX, id="cp-destination"),
        pytest.param("cp -t ~/.isomux a b", ISOMUX, id="cp-target-directory"),
        pytest.param("mv ~/.isomux/agents.json /tmp/", ISOMUX, id="mv-out"),
        pytest.param("ln -s /x ~/.isomux/y", ISOMUX, id="ln"),
        pytest.param("rsync -a out/ ~/.isomux/", ISOMUX, id="rsync"),
        pytest.param("install -m 644 f ~/.isomux/f", ISOMUX, id="install"),
        pytest.param("rm ~/.isomux/agents.json", ISOMUX, id="rm"),
        pytest.param("mkdir -p ~/.isomux/x", ISOMUX, id="mkdir"),
        pytest.param("touch ~/.isomux/x", ISOMUX, id="touch"),
        pytest.param("chmod 600 ~/.isomux", ISOMUX, id="chmod"),
        pytest.param("truncate -s 0 ~/.isomux/x", ISOMUX, id="truncate"),
        pytest.param("sed -i 's/a/b/' ~/.isomux/agents.json", ISOMUX, id="sed-in-place"),
        pytest.param("vim ~/.isomux/agents.json", ISOMUX, id="editor"),
        pytest.param("curl -o ~/.isomux/x https://example.org", ISOMUX, id="curl-output"),
        pytest.param("touch $ISOMUX_HOME/x", ISOMUX, id="ISOMUX_HOME-variable"),
        pytest.param("cd ~/.isomux && touch x", ISOMUX, id="after-cd"),
        pytest.param("cd ~/.isomux; echo x > y", ISOMUX, id="after-cd-semicolon"),
        pytest.param("chmod -R 777 ~/.isomu*", ISOMUX, id="glob-matching-the-dir"),
        pytest.param("rm -rf ~/.isomux", RM, id="rm-rf-is-a-removal-first"),
        # Reads of secrets.
        pytest.param("cat .env", SECRET, id="cat-env"),
        pytest.param("cat ./config/.env.production", SECRET, id="env-variant"),
        pytest.param("less ~/.ssh/id_rsa", SECRET, id="ssh-key"),
        pytest.param("cat ~/.ssh/config", SECRET, id="anything-under-ssh"),
        pytest.param("grep -r TOKEN .env", SECRET, id="grep"),
        pytest.param("grep -e TOKEN -- .env", SECRET, id="grep-explicit-pattern"),
        pytest.param("rg -n TOKEN .env.local", SECRET, id="rg"),
        pytest.param("awk '{print}' .env", SECRET, id="awk"),
        pytest.param("sed -n p .env", SECRET, id="sed"),
        pytest.param("source .env", SECRET, id="source"),
        pytest.param(". ./.env", SECRET, id="dot"),
        pytest.param("cp .env /tmp/x", SECRET, id="cp"),
        pytest.param("scp server.key host:", SECRET, id="scp"),
        pytest.param("wc -l < .env", SECRET, id="input-redirect"),
        pytest.param("head -n 3 certs/server.key", SECRET, id="key"),
        pytest.param("bat id_ed25519", SECRET, id="bat"),
        pytest.param("base64 cert.p12", SECRET, id="base64"),
        pytest.param("xxd store.jks", SECRET, id="xxd"),
        pytest.param("strings service-account-prod.json", SECRET, id="service-account"),
        pytest.param("cat credentials.json", SECRET, id="credentials"),
        pytest.param("tail ~/.netrc", SECRET, id="netrc"),
        pytest.param("cat ~/.pgpass ~/.my.cnf", SECRET, id="db-passwords"),
        pytest.param("cat ~/.aws/credentials", SECRET, id="aws"),
        pytest.param("cat ~/.config/gcloud/application_default_credentials.json", SECRET, id="gcloud"),
        pytest.param("cat ~/.claude/.credentials.json", SECRET, id="claude"),
        pytest.param("cat ~/.codex/auth.json", SECRET, id="codex"),
        pytest.param("cat $HOME/.ssh/id_ecdsa", SECRET, id="via-HOME"),
        pytest.param('cat "$CONFIG_DIR/.env"', SECRET, id="unknown-dir-known-name"),
        pytest.param("cat .en*", SECRET, id="glob"),
        pytest.param("cat ~/.ssh/*", SECRET, id="glob-in-ssh"),
        pytest.param("diff <(cat .env) .env.example", SECRET, id="process-substitution"),
        pytest.param('echo "$(cat .env)"', SECRET, id="command-substitution"),
        pytest.param("sudo cat /root/.ssh/id_rsa", SECRET, id="sudo"),
        pytest.param("python -c \"open('.env').read()\"", SECRET, id="python-code-names-it"),
        pytest.param('node -e \'require("fs").readFileSync("/home/u/.ssh/id_rsa")\'', SECRET, id="node-code"),
        pytest.param("perl -pi -e 's/a/b/' .env", SECRET, id="perl-edits-it"),
        pytest.param("ruby -e 'puts File.read(\".env\")'", SECRET, id="ruby-code"),
        pytest.param("dd if=.env", SECRET, id="dd"),
        pytest.param("echo .env | xargs cat", SECRET, id="xargs-fed-by-echo"),
        pytest.param("xargs cat <<EOF\n.env\nEOF", SECRET, id="xargs-fed-by-heredoc"),
        pytest.param("cat ~root/.ssh/config", SECRET, id="someone-elses-ssh-dir"),
        # Commands that cannot be parsed but look dangerous.
        pytest.param("echo 'unterminated; rm -rf ~", UNPARSEABLE, id="unterminated-quote"),
        pytest.param('git commit -m "oops', UNPARSEABLE, id="unterminated-double-quote"),
        pytest.param("echo $(git status", UNPARSEABLE, id="unterminated-substitution"),
    ],
)
def test_denied(command: str | list[str], rule: str) -> None:
    denied(command, rule)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param("rm -rf /tmp/build", id="rm-in-tmp"),
        pytest.param("rm -rf /var/tmp/x", id="rm-in-var-tmp"),
        pytest.param('rm -rf "$TMPDIR/x"', id="rm-in-TMPDIR"),
        pytest.param("rm -rf ${TMPDIR}/x /tmp/y", id="rm-braced-TMPDIR"),
        pytest.param("rm -rf /tmp/build-*", id="rm-glob-in-tmp"),
        pytest.param("cd /tmp && rm -rf build", id="rm-after-cd-to-tmp"),
        pytest.param("cd /tmp && (rm -rf a; rm -rf b)", id="rm-in-subshell-after-cd"),
        pytest.param("find /tmp/x -name '*.o' -delete", id="find-delete-in-tmp"),
        pytest.param("find . -name '*.py' -exec grep -l TODO {} +", id="find-exec-harmless"),
        pytest.param("shred /tmp/secret.txt", id="shred-in-tmp"),
        pytest.param("rm file.txt", id="rm-file"),
        pytest.param("rm -r build", id="rm-recursive-without-force"),
        pytest.param("rm -f *.o", id="rm-force-without-recursive"),
        pytest.param('git commit -m "rm -rf / is bad"', id="dangerous-text-in-a-message"),
        pytest.param("echo 'git reset --hard'", id="echo-of-a-command"),
        pytest.param("cat <<'EOF' > /tmp/notes.md\nrm -rf ~ and git reset --hard\nEOF", id="heredoc-data"),
        pytest.param("git checkout -b feat", id="checkout-new-branch"),
        pytest.param("git checkout main", id="checkout-branch"),
        pytest.param("git restore --staged f", id="restore-staged"),
        pytest.param("git restore -S f", id="restore-S"),
        pytest.param("git push --force-with-lease", id="force-with-lease"),
        pytest.param("git push --force-with-lease=main:abc123 origin main", id="force-with-lease-value"),
        pytest.param("git push -u origin feat", id="push"),
        pytest.param("git clean -n", id="clean-dry-run"),
        pytest.param("git clean -fdn", id="clean-force-dry-run"),
        pytest.param("git rebase -i main", id="rebase"),
        pytest.param("git reset --soft HEAD~1", id="reset-soft"),
        pytest.param("git reset HEAD file", id="reset-unstage"),
        pytest.param("git branch -d merged", id="branch-delete-merged"),
        pytest.param("git stash && git stash pop", id="stash"),
        pytest.param("git log --oneline | head -20", id="log"),
        pytest.param("cat .env.example", id="env-example"),
        pytest.param("cp .env.template .env.sample", id="env-template"),
        pytest.param("cat ~/.ssh/id_rsa.pub", id="public-key"),
        pytest.param("ls ~/.ssh", id="listing-ssh"),
        pytest.param("ls -la .env", id="listing-env"),
        pytest.param("grep -rn '.env' src/", id="searching-for-the-word-env"),
        pytest.param("rg id_rsa docs", id="searching-for-the-word-id_rsa"),
        pytest.param("cat ~/.isomux/agents-summary.json", id="read-isomux-summary"),
        pytest.param("tail -n 50 ~/.isomux/logs/a1/s1.jsonl | jq .", id="read-isomux-logs"),
        pytest.param("cp ~/.isomux/agents-summary.json /tmp/", id="copy-out-of-isomux"),
        pytest.param("grep -r error ~/.isomux/logs", id="grep-isomux"),
        pytest.param("echo hi > /tmp/x 2>/dev/null", id="redirect-elsewhere"),
        pytest.param("sed -i 's/a/b/' src/app.py", id="sed-in-place-elsewhere"),
        pytest.param("python -c 'print(1)'", id="python-harmless"),
        pytest.param("npm test && pytest -q", id="tests"),
        pytest.param("bash scripts/build.sh", id="script-file"),
        pytest.param("sh -c 'ls -la'", id="sh-c-harmless"),
        pytest.param("echo 'unterminated", id="unparseable-but-harmless"),
        pytest.param(["rm", "-rf", "/tmp/x"], id="argv-list"),
        # Everyday commands that must keep working.
        pytest.param(
            "git add -A && git commit -m \"$(cat <<'EOF'\nFix it\n\nrm -rf was wrong\nEOF\n)\"",
            id="commit-message-from-heredoc",
        ),
        pytest.param("for f in *.py; do echo $f; done", id="for-loop"),
        pytest.param("case $x in a) echo a;; esac", id="case"),
        pytest.param("cd ~/.isomux && cat agents.json", id="cd-into-isomux-and-read"),
        pytest.param("cp .env.example .env && echo KEY=x >> .env", id="create-env-from-example"),
        pytest.param("chmod 600 ~/.ssh/id_rsa", id="chmod-key"),
        pytest.param("find . -name .env", id="find-env"),
        pytest.param("trap 'rm -rf /tmp/agent-1/w' EXIT", id="trap-cleaning-tmp"),
        pytest.param('"$VENV/bin/python" -m pytest', id="program-under-a-variable-dir"),
        pytest.param("grep -r API_KEY --exclude=.env .", id="grep-excluding-env"),
        pytest.param('curl -s http://127.0.0.1:8080/api -H "Authorization: Bearer $ISOMUX_TOKEN"', id="curl"),
        pytest.param("mkdir -p /tmp/x && cd /tmp/x && rm -rf out", id="cd-chain-into-tmp"),
        pytest.param("rm -rf /tmp/agent-1", id="rm-TMPDIR-inside-tmp"),
        pytest.param("", id="empty"),
    ],
)
def test_allowed(command: str | list[str]) -> None:
    verdict = check_command(command, CTX)
    assert verdict == Verdict(True), verdict.reason


@pytest.mark.parametrize(
    ("tool", "tool_input", "rule"),
    [
        pytest.param("Bash", {"command": "git reset --hard"}, GIT, id="bash"),
        pytest.param("Read", {"file_path": "/home/u/proj/.env"}, SECRET, id="read-env"),
        pytest.param("Read", {"file_path": "config/.env.local"}, SECRET, id="read-relative-to-cwd"),
        pytest.param("Read", {"file_path": "/home/u/.ssh/known_hosts"}, SECRET, id="read-ssh"),
        pytest.param("Read", {"file_path": "~/.aws/credentials"}, SECRET, id="read-tilde"),
        pytest.param("Grep", {"pattern": "TOKEN", "path": "/home/u/proj/.env"}, SECRET, id="grep-path"),
        pytest.param("Grep", {"pattern": "TOKEN", "glob": ".env*"}, SECRET, id="grep-glob"),
        pytest.param("Grep", {"pattern": "x", "path": "/home/u/.ssh"}, SECRET, id="grep-ssh-dir"),
        pytest.param("Glob", {"pattern": "**/.env"}, SECRET, id="glob-pattern"),
        pytest.param("Glob", {"pattern": "*", "path": "~/.ssh"}, SECRET, id="glob-ssh"),
        pytest.param("Glob", {"pattern": "**/*.{pem,key}"}, SECRET, id="glob-braces"),
        pytest.param("Write", {"file_path": "/home/u/.isomux/agents.json", "content": "{}"}, ISOMUX, id="write"),
        pytest.param("Edit", {"file_path": "~/.isomux/tasks.json"}, ISOMUX, id="edit"),
        pytest.param("MultiEdit", {"file_path": "/home/u/.isomux/x", "edits": []}, ISOMUX, id="multi-edit"),
        pytest.param("NotebookEdit", {"notebook_path": "/home/u/.isomux/n.ipynb"}, ISOMUX, id="notebook-edit"),
        pytest.param("Write", {"file_path": "../.isomux/x"}, ISOMUX, id="write-relative"),
    ],
)
def test_tool_denied(tool: str, tool_input: dict[str, object], rule: str) -> None:
    verdict = check_tool(tool, tool_input, CTX)
    assert (verdict.allowed, verdict.rule) == (False, rule), verdict.reason


@pytest.mark.parametrize(
    ("tool", "tool_input"),
    [
        pytest.param("Bash", {"command": "ls"}, id="bash"),
        pytest.param("Read", {"file_path": "/home/u/proj/README.md"}, id="read"),
        pytest.param("Read", {"file_path": "/home/u/.isomux/agents-summary.json"}, id="read-isomux"),
        pytest.param("Read", {"file_path": ".env.example"}, id="read-example"),
        pytest.param("Grep", {"pattern": ".env", "path": "src"}, id="grep-for-the-word"),
        pytest.param("Grep", {"pattern": "x", "glob": "*.py"}, id="grep-glob"),
        pytest.param("Glob", {"pattern": "**/*.ts"}, id="glob"),
        pytest.param("Write", {"file_path": "/home/u/proj/a.py", "content": ""}, id="write"),
        pytest.param("Edit", {"file_path": ".env"}, id="edit-is-not-a-read-rule"),
        pytest.param("WebFetch", {"url": "https://example.org"}, id="unknown-tool"),
        pytest.param("Write", {"content": "no path"}, id="missing-field"),
        pytest.param("Bash", {"command": 42}, id="wrong-type"),
    ],
)
def test_tool_allowed(tool: str, tool_input: dict[str, object]) -> None:
    assert check_tool(tool, tool_input, CTX) == Verdict(True)


def test_codex_file_change_paths() -> None:
    assert check_write_path("/home/u/.isomux/agents.json", CTX).rule == ISOMUX
    assert check_write_path("/home/u/proj/src/app.py", CTX).allowed
    assert check_read_path("deploy/id_rsa", CTX).rule == SECRET


def test_reasons_say_what_was_blocked_and_who_can_do_it() -> None:
    for command, rule, phrase in [
        ("git reset --hard", GIT, "`git reset --hard`"),
        ("rm -rf build", RM, "`build` is not in one"),
        ("tee ~/.isomux/x", ISOMUX, "/home/u/.isomux"),
        ("cat .env", SECRET, "`.env` holds secrets"),
        ("echo 'x; rm -rf ~", UNPARSEABLE, "could not be parsed safely"),
    ]:
        reason = denied(command, rule).reason
        assert phrase in reason
        assert reason.endswith("ask the human to run it themselves in the office terminal.")


@pytest.mark.parametrize(
    ("command", "phrase"),
    [
        pytest.param("rm -rf ~", "the home directory", id="home"),
        pytest.param("rm -rf $HOME", "the home directory", id="HOME"),
        pytest.param("rm -rf /", "the root directory", id="root"),
        pytest.param("rm -rf /home", "`/home`, which holds the home directory", id="parent-of-home"),
        pytest.param("rm -rf .", "the working directory", id="cwd"),
        pytest.param("rm -rf ..", "the home directory", id="parent-is-the-home"),
        pytest.param("rm -rf ../..", "`../..`, which holds the home directory", id="grandparent"),
        pytest.param("rm -rf *", "everything the pattern `*` matches", id="glob"),
    ],
)
def test_catastrophic_removals_get_the_stronger_message(command: str, phrase: str) -> None:
    reason = denied(command, RM).reason
    assert phrase in reason
    assert "do not try another way" in reason


def test_secret_contents_never_reach_the_reason(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("API_KEY=hunter2-very-secret\n")
    ctx = PolicyContext.for_agent(tmp_path, tmp_path / "state", {"HOME": str(tmp_path)})
    for verdict in (
        check_command("cat .env", ctx),
        check_tool("Read", {"file_path": str(tmp_path / ".env")}, ctx),
    ):
        assert verdict.rule == SECRET
        assert "hunter2" not in verdict.reason


def test_relative_paths_follow_the_agents_cwd() -> None:
    in_tmp = PolicyContext.for_agent(Path("/tmp/work"), CTX.isomux_home, {"HOME": "/home/u"})
    assert check_command("rm -rf build", in_tmp).allowed
    in_state = PolicyContext.for_agent(CTX.isomux_home, CTX.isomux_home, {"HOME": "/home/u"})
    assert check_command("touch notes.md", in_state).rule == ISOMUX
    assert check_command("cat agents.json", in_state).allowed
    assert check_tool("Write", {"file_path": "notes.md"}, in_state).rule == ISOMUX


def test_symlinks_are_resolved(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (tmp_path / "link").symlink_to(state)
    ctx = PolicyContext.for_agent(tmp_path / "work", state, {"HOME": str(tmp_path)})
    assert check_command(f"echo x > {tmp_path}/link/agents.json", ctx).rule == ISOMUX
    assert check_tool("Write", {"file_path": str(tmp_path / "link" / "a.json")}, ctx).rule == ISOMUX


def test_context_for_agent_takes_temp_dirs_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert CTX.temp_dirs == (Path("/tmp"), Path("/var/tmp"), Path("/tmp/agent-1"))
    assert CTX.home == Path("/home/u")
    without = PolicyContext.for_agent(Path("/w"), Path("/s"), {"HOME": "/home/u"})
    assert without.temp_dirs == (Path("/tmp"), Path("/var/tmp"))
    # $TMPDIR cannot be resolved when it is not set, so a removal under it is refused.
    assert check_command('rm -rf "$TMPDIR/x"', without).rule == RM
    assert check_command('rm -rf "${TMPDIR:-/tmp}/x"', without).allowed
    # A TMPDIR that would cover the home is ignored rather than trusted.
    for bad in ("/", "/home", "relative/tmp"):
        ctx = PolicyContext.for_agent(Path("/w"), Path("/s"), {"HOME": "/home/u", "TMPDIR": bad})
        assert ctx.temp_dirs == (Path("/tmp"), Path("/var/tmp"))
        assert check_command("rm -rf /home/u/x", ctx).rule == RM
    monkeypatch.setenv("HOME", "/home/other")
    monkeypatch.setenv("TMPDIR", "/tmp/other")
    from_process = PolicyContext.for_agent(Path("/w"), Path("/s"))
    assert (from_process.home, from_process.tmpdir) == (Path("/home/other"), Path("/tmp/other"))


LAYERS: list[Callable[[str], str]] = [
    lambda c: f"sh -c {shlex.quote(c)}",
    lambda c: f"/bin/bash -lc {shlex.quote(c)}",
    lambda c: f"eval {shlex.quote(c)}",
    lambda c: f"printf '%s\\n' {shlex.quote(c)} | sh",
    lambda c: f"sudo -u root {c}",
    lambda c: f"env X=1 {c}",
    lambda c: f"timeout 5 nice {c}",
    lambda c: f"echo start; {c}",
    lambda c: f"true && {c} || true",
    lambda c: f"( {c} )",
    lambda c: f"echo $( {c} )",
    lambda c: f"echo `{c}`" if "`" not in c else c,
]


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from([("rm -rf ~", RM), ("git reset --hard", GIT), ("cat .env", SECRET), ("touch ~/.isomux/x", ISOMUX)]),
    st.lists(st.sampled_from(LAYERS), max_size=3),
)
def test_wrapping_a_denied_command_keeps_it_denied(case: tuple[str, str], layers: list[Callable[[str], str]]) -> None:
    command, rule = case
    for layer in layers:
        command = layer(command)
    denied(command, rule)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param("sh | " * 5000 + "sh", id="pipeline-of-shells"),
        pytest.param("eval " * 5000 + "ls", id="eval-chain"),
        pytest.param("bash -c " * 200 + "ls", id="shell-chain"),
        pytest.param("cd a; " * 3000 + "rm -rf x", id="many-cds"),
        pytest.param("$(" * 20000, id="open-substitutions"),
    ],
)
def test_pathological_commands_get_a_verdict(command: str) -> None:
    assert "internal error" not in check_command(command, CTX).reason


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_command_text_gets_a_verdict(command: str) -> None:
    verdict = check_command(command, CTX)
    assert isinstance(verdict, Verdict)
    assert "internal error" not in verdict.reason
    assert verdict.allowed == (verdict.rule is None)


shellish = st.lists(
    st.sampled_from(
        [
            " ",
            "rm",
            "-rf",
            "git",
            "reset",
            "--hard",
            "~",
            "/",
            ".env",
            "$HOME",
            "$(",
            ")",
            "`",
            "'",
            '"',
            "\\",
            ";",
            "&&",
            "|",
            "sh -c",
            "<<EOF\n",
            "\nEOF",
            ">",
            "<",
            "*",
            "cd",
            "..",
            "/tmp",
            "xargs",
            "eval",
            "{",
            "}",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(shellish)
def test_shell_like_commands_get_a_verdict(command: str) -> None:
    verdict = check_command(command, CTX)
    assert "internal error" not in verdict.reason


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(max_size=20), max_size=6),
    st.dictionaries(
        st.sampled_from(["command", "file_path", "path", "pattern", "glob", "notebook_path"]),
        st.one_of(st.text(max_size=30), st.integers(), st.none()),
    ),
    st.sampled_from(["Bash", "Read", "Write", "Edit", "MultiEdit", "NotebookEdit", "Grep", "Glob", "Task"]),
)
def test_argv_lists_and_tool_inputs_get_a_verdict(argv: list[str], tool_input: dict[str, object], tool: str) -> None:
    for verdict in (check_command(argv, CTX), check_tool(tool, tool_input, CTX)):
        assert isinstance(verdict, Verdict)
        assert "internal error" not in verdict.reason


def test_vital_directories_stay_protected_inside_a_temp_dir(tmp_path: Path) -> None:
    """A home, working or state directory that happens to live under /tmp is still not deletable."""
    home = tmp_path / "home"
    work = tmp_path / "work"
    ctx = PolicyContext(cwd=work, home=home, isomux_home=tmp_path / "office", temp_dirs=(tmp_path,))
    for command in ("rm -rf ~", "rm -rf $HOME", "rm -rf .", f"rm -rf {tmp_path / 'office'}", f"rm -rf {tmp_path}"):
        verdict = check_command(command, ctx)
        assert not verdict.allowed, command
        assert "cannot be undone" in verdict.reason
    assert check_command("rm -rf build", ctx).allowed
    assert check_command(f"rm -rf {tmp_path / 'scratch'}", ctx).allowed


def test_the_office_credentials_are_secrets_but_its_state_is_readable(tmp_path: Path) -> None:
    ctx = PolicyContext(cwd=tmp_path, home=tmp_path / "home", isomux_home=tmp_path / "office", temp_dirs=())
    assert not check_command(f"cat {tmp_path / 'office' / 'secret'}", ctx).allowed
    assert not check_tool("Read", {"file_path": str(tmp_path / "office" / "people.json")}, ctx).allowed
    assert check_command(f"cat {tmp_path / 'office' / 'agents-summary.json'}", ctx).allowed
