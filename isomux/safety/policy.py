"""The safety policy: which tool calls and shell commands an agent may run.

One set of rules answers Claude's PreToolUse hooks (`check_tool`) and Codex's approval requests
(`check_command`, `check_write_path`). Everything is allowed except:

- destructive git (`reset --hard`, discarding checkouts and restores, `clean -f`, force pushes,
  `branch -D`, dropping stashes);
- recursive forced removal (`rm -rf`, `find -delete`, `find -exec rm`, `shred`) outside temp dirs;
- writes into the office's own state directory (ISOMUX_HOME), which agents may only read;
- reads of files that hold secrets (`.env`, private keys, cloud and CLI credentials).

Shell commands are parsed (see `shell.py`), wrappers such as `sudo`, `env`, `xargs`, `bash -c` and
`eval` are looked through, and paths are resolved against the agent's cwd, following `cd`, with
symlinks resolved too. What cannot be resolved counts as dangerous where that matters (a removal
target) and as harmless where nothing can be decided (a write to `$SOMEWHERE/x`). A command that does
not parse is denied when it mentions anything these rules care about. The functions never raise; on
an internal failure they deny.

Deliberately out of reach, because telling them apart from everyday work would need guessing:
code run by interpreters (`python -c` is only scanned for quoted names of secret files, so
`open('.env')` is caught but `shutil.rmtree(…)` is not), scripts run from files, commands piped into
a shell from anything but `echo`/`printf`/here-documents (`curl … | sh`), `git checkout <path>`
without `--` (a path cannot be told from a branch), and recursive searches of a directory that holds
a secret (`grep -r TOKEN .`). The embedded terminal is the human's own and is not checked at all.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from isomux.safety.shell import (
    Part,
    PartKind,
    SimpleCommand,
    Word,
    name_set,
    parse,
    program_name,
    reparse_word,
    split_options,
    stdin_text,
    unwrap,
)


@attrs.frozen
class PolicyContext:
    """Where an agent runs: its cwd, its home, the office state dir and the temp dirs it may wipe."""

    cwd: Path
    home: Path
    isomux_home: Path
    temp_dirs: tuple[Path, ...]
    tmpdir: Path | None = None  # the value of $TMPDIR in the agent's environment, if set

    @classmethod
    def for_agent(cls, cwd: Path, isomux_home: Path, env: Mapping[str, str] | None = None) -> PolicyContext:
        """The context for an agent started with `env` (the server's environment by default)."""
        env = os.environ if env is None else env
        home = Path(env.get("HOME") or os.path.expanduser("~"))
        temp_dirs = [Path("/tmp"), Path("/var/tmp")]
        tmpdir = Path(env["TMPDIR"]) if env.get("TMPDIR") else None
        # A TMPDIR of / or of the home would make every removal look harmless.
        if tmpdir is not None and (
            not tmpdir.is_absolute()
            or any(_is_within(_normal(str(p)), _normal(str(tmpdir))) for p in (home, isomux_home))
        ):
            tmpdir = None
        if tmpdir is not None and tmpdir not in temp_dirs:
            temp_dirs.append(tmpdir)
        return cls(cwd, home, isomux_home, tuple(temp_dirs), tmpdir)


@attrs.frozen
class Verdict:
    allowed: bool
    rule: str | None = None  # git-destructive | rm-recursive | isomux-home-write | secret-read | unparseable
    reason: str = ""


ALLOW = Verdict(True)
_ASK = "If it is really needed, ask the human to run it themselves in the office terminal."


def _deny(rule: str, what: str, why: str) -> Verdict:
    return Verdict(False, rule, f"Blocked {what}: {why} {_ASK}")


def check_command(command: str | Sequence[str], ctx: PolicyContext) -> Verdict:
    """Judge a shell command line, or an argv list run without a shell."""
    try:
        if isinstance(command, str):
            return _check_source(command, ctx, (ctx.cwd,), 0)
        return _check_simple(SimpleCommand(tuple(Word.literal(str(a)) for a in command)), ctx, (ctx.cwd,), 0)
    except Exception as exc:  # a hook that crashes lets the command through, so fail closed
        return _internal_error(exc)


def check_write_path(path: str, ctx: PolicyContext) -> Verdict:
    """Judge a file write or edit (a Write/Edit tool call, a Codex file change)."""
    try:
        if _in_isomux_home(_tool_word(path), ctx, (ctx.cwd,)):
            return _deny("isomux-home-write", f"writing `{path}`", _ISOMUX_WHY.format(ctx.isomux_home))
        return ALLOW
    except Exception as exc:
        return _internal_error(exc)


def check_read_path(path: str, ctx: PolicyContext) -> Verdict:
    """Judge reading a file or searching a directory."""
    try:
        if _names_secret(_tool_word(path), ctx, (ctx.cwd,)):
            return _deny("secret-read", f"reading `{path}`", _SECRET_WHY.format(path))
        return ALLOW
    except Exception as exc:
        return _internal_error(exc)


def check_tool(tool_name: str, tool_input: Mapping[str, object], ctx: PolicyContext) -> Verdict:
    """Judge a Claude Code tool call; tools the policy does not know are allowed."""

    def field(name: str) -> str | None:
        value = tool_input.get(name)
        return value if isinstance(value, str) and value else None

    try:
        if tool_name == "Bash":
            command = field("command")
            return check_command(command, ctx) if command else ALLOW
        if tool_name in ("Write", "Edit", "MultiEdit", "NotebookEdit"):
            path = field("notebook_path" if tool_name == "NotebookEdit" else "file_path")
            return check_write_path(path, ctx) if path else ALLOW
        if tool_name in ("Read", "Grep", "Glob"):
            path = field("file_path" if tool_name == "Read" else "path")
            verdict = check_read_path(path, ctx) if path else ALLOW
            pattern = field("glob" if tool_name == "Grep" else "pattern")
            if verdict.allowed and tool_name != "Read" and pattern:
                verdict = _check_file_pattern(pattern, path, ctx)
            return verdict
        return ALLOW
    except Exception as exc:
        return _internal_error(exc)


def _internal_error(exc: Exception) -> Verdict:
    return Verdict(
        False,
        "unparseable",
        f"Blocked this action: the safety check failed on it (internal error, {type(exc).__name__}). {_ASK}",
    )


def _tool_word(path: str) -> Word:
    """A tool's path argument as a word: taken literally, except for a leading `~`."""
    if path == "~" or path.startswith("~/"):
        return Word((Part(PartKind.TILDE, ""), Part(PartKind.QUOTED, path[1:])))
    return Word.literal(path)


def _check_file_pattern(pattern: str, base: str | None, ctx: PolicyContext) -> Verdict:
    """A Glob pattern or a Grep `glob` filter that names secret files is treated as reading them."""
    joined = pattern if base is None or pattern.startswith(("/", "~")) else base.rstrip("/") + "/" + pattern
    word = Word((*_tool_word(joined).parts[:-1], *_glob_parts(_tool_word(joined).parts[-1].text)))
    if _names_secret(word, ctx, (ctx.cwd,)):
        return _deny("secret-read", f"searching for `{pattern}`", _SECRET_WHY.format(pattern))
    return ALLOW


def _glob_parts(text: str) -> tuple[Part, ...]:
    return tuple(Part(PartKind.GLOB if c in "*?[{}" else PartKind.QUOTED, c) for c in text)


# Scripts and commands ---------------------------------------------------------------------------

Cwds = tuple[Path | None, ...]  # every directory a command may run in; None when it cannot be known
_MAX_NESTING = 8
_MAX_CWDS = 16
_SUSPECT = re.compile(
    r"(?<![\w.-])(rm|rmdir|unlink|shred|git|dd|find|truncate|mkfs[\w.]*|mv|cp|tee|ln|rsync|"
    r"install|chmod|chown|sed|perl|sudo|doas|su|eval|exec|xargs|sh|bash|zsh|dash|ksh|source)"
    r"(?![\w-])"
)
_SUSPECT_NAMES = (".env", ".ssh", "id_rsa", "id_ed25519", ".pem", ".key", ".isomux")


def _check_source(source: str, ctx: PolicyContext, base: Cwds, depth: int) -> Verdict:
    if depth > _MAX_NESTING:
        return _unparseable(source, "shells are nested too deeply", ctx)
    script = parse(source)
    for command in script.commands:
        verdict = _check_simple(command, ctx, base, depth)
        if not verdict.allowed:
            return verdict
    return _unparseable(source, script.error, ctx) if script.error else ALLOW


def _unparseable(source: str, problem: str, ctx: PolicyContext) -> Verdict:
    """Deny what could not be parsed if it mentions anything the rules care about."""
    match = _SUSPECT.search(source)
    names = (*_SUSPECT_NAMES, str(ctx.isomux_home))
    hint = match.group(1) if match else next((name for name in names if name in source), None)
    if hint is None:
        return ALLOW
    return Verdict(
        False,
        "unparseable",
        f"Blocked this command: it could not be parsed safely ({problem}) and it mentions `{hint}`. "
        f"Fix the quoting; {_ASK[0].lower()}{_ASK[1:]}",
    )


def _check_simple(command: SimpleCommand, ctx: PolicyContext, base: Cwds, depth: int) -> Verdict:
    cwds = _cwd_candidates(command, base, ctx)
    verdict = _check_redirects(command, ctx, cwds)
    if not verdict.allowed:
        return verdict
    invocation = unwrap(command)
    if not invocation.cwd_known:
        cwds = (None,)
    for source in invocation.scripts:
        verdict = _check_source(source, ctx, cwds, depth + 1)
        if not verdict.allowed:
            return verdict
    if not invocation.argv:
        return ALLOW
    args = invocation.argv[1:]
    if invocation.dynamic_args:
        # xargs fed by echo or a here-document: those arguments are known after all.
        args += tuple(w for text in stdin_text(command) for c in parse(text).commands for w in c.words)
    name = program_name(invocation.argv[0])
    # A program computed at run time could be anything, so each rule judges it as its own program.
    for guess in [name] if name else ["git", "rm", "find", "tee", "cat"]:
        call = _Call(guess, args, invocation.dynamic_args, cwds, depth, invocation.argv[0].text)
        for rule in (_git_rule, _removal_rule, _isomux_write_rule, _secret_read_rule):
            found = rule(call, ctx)
            if found is not None:
                return found
    return ALLOW


@attrs.frozen
class _Call:
    name: str  # the program the rules judge it as
    args: tuple[Word, ...]
    dynamic: bool  # more arguments arrive at run time (xargs)
    cwds: Cwds
    depth: int
    program: str = ""  # the program as written, when it differs from `name`

    @property
    def shown(self) -> str:
        words = [w.text if " " not in w.text else repr(w.text) for w in self.args]
        text = " ".join([self.program or self.name, *words])
        return "`" + (text if len(text) <= 100 else text[:99] + "…") + "`"


def _cwd_candidates(command: SimpleCommand, base: Cwds, ctx: PolicyContext) -> Cwds:
    """Every directory the command may run in, following the `cd`s before it."""
    found: list[Path | None] = []
    for start in base:
        current, seen = start, [start]
        for index, step in enumerate(command.cd_steps):
            text = _expand(step, ctx, current) if not step.has_glob else None
            path = _absolute(text, current) if text is not None else None
            current = Path(path) if path is not None else None
            seen = [current] if index < command.cd_sure else [*seen, current]
        found.extend(seen)
    unique = tuple(dict.fromkeys(found))
    return unique if len(unique) <= _MAX_CWDS else (None,)


def _check_redirects(command: SimpleCommand, ctx: PolicyContext, cwds: Cwds) -> Verdict:
    for redirect in command.redirects:
        target = redirect.target
        writes = redirect.op in (">", ">>", "&>", "&>>", "<>") or (
            redirect.op == ">&" and not re.fullmatch(r"\d*-?", target.text)
        )
        if writes and _in_isomux_home(target, ctx, cwds):
            return _deny(
                "isomux-home-write",
                f"the redirection `{redirect.op} {target.text}`",
                _ISOMUX_WHY.format(ctx.isomux_home),
            )
        if redirect.op in ("<", "<>") and _names_secret(target, ctx, cwds):
            return _deny("secret-read", f"the redirection `< {target.text}`", _SECRET_WHY.format(target.text))
    return ALLOW


# Destructive git -----------------------------------------------------------------------------

_GIT_VALUE_OPTIONS = name_set("-C -c --git-dir --work-tree --namespace --super-prefix --config-env")


def _git_rule(call: _Call, ctx: PolicyContext) -> Verdict | None:
    if call.name != "git":
        return None
    texts = [w.text for w in call.args]
    aliases: dict[str, str] = {}
    i = 0
    while i < len(texts) and texts[i].startswith("-"):
        if texts[i] in _GIT_VALUE_OPTIONS and i + 1 < len(texts):
            key, _, value = texts[i + 1].partition("=")
            if texts[i] == "-c" and key.lower().startswith("alias."):
                aliases[key[6:].lower()] = value
            i += 1
        i += 1
    if i >= len(texts):
        return None
    sub, rest = texts[i], texts[i + 1 :]
    expansion = aliases.get(sub.lower())
    if expansion is not None and expansion.startswith("!"):
        verdict = _check_source(expansion[1:], ctx, call.cwds, call.depth + 1)
        return None if verdict.allowed else verdict
    if expansion is not None:
        script = parse(expansion)
        words = [w.text for w in script.commands[0].words] if script.commands else [""]
        sub, rest = words[0], words[1:] + rest
    why = _git_danger(sub, rest)
    return _deny("git-destructive", call.shown, why) if why else None


def _git_danger(sub: str, args: list[str]) -> str | None:
    """Why `git <sub> <args>` destroys work, or None when it does not."""
    before = args[: args.index("--")] if "--" in args else args
    after = args[len(before) + 1 :]
    letters = "".join(a[1:] for a in before if a.startswith("-") and not a.startswith("--"))
    positional = [a for a in before if not a.startswith("-")]

    def has(long: str, short: str = "") -> bool:
        # git accepts any unambiguous prefix of a long option.
        names = [a.partition("=")[0] for a in before if a.startswith("--")]
        return any(n == long or (len(n) >= 4 and long.startswith(n)) for n in names) or any(c in letters for c in short)

    if sub == "reset" and (has("--hard") or has("--merge")):
        return "it throws away uncommitted changes, which cannot be recovered."
    if sub == "checkout" and (
        after
        or has("--force", "f")
        or has("--pathspec-from-file")
        or any(p in (".", "./", ":/", "*") for p in positional)
    ):
        return "it overwrites uncommitted changes in the working tree, which cannot be recovered."
    if sub == "restore" and (has("--worktree", "W") or not has("--staged", "S")):
        return "it overwrites uncommitted changes in the working tree, which cannot be recovered."
    if sub == "clean" and has("--force", "f") and not has("--dry-run", "n"):
        return "it deletes untracked files for good."
    if sub == "push" and (
        has("--force", "f") or has("--force-if-includes") or any(a.startswith("+") for a in positional + after)
    ):
        return "a force push rewrites history on the remote (`--force-with-lease` is allowed)."
    if sub == "branch" and ("D" in letters or (has("--delete", "d") and has("--force", "f"))):
        return "it deletes a branch even if its commits are not merged anywhere."
    if sub == "stash" and positional[:1] in (["drop"], ["clear"]):
        return "it deletes stashed work for good."
    return None


# Recursive removal ---------------------------------------------------------------------------

_UNKNOWN = Word((Part(PartKind.COMMAND, "…"),))
_DELETERS = frozenset({"rm", "rmdir", "unlink", "shred"})


def _removal_rule(call: _Call, ctx: PolicyContext) -> Verdict | None:
    if call.name == "rm":
        operands, options = split_options(call.args)
        names = [o for o, _ in options]
        recursive = any(o in ("-r", "-R") or _long_prefix(o, "--recursive") for o in names)
        force = any(o == "-f" or _long_prefix(o, "--force") for o in names)
        if recursive and force:
            return _removal_verdict(
                call,
                operands,
                ctx,
                strict=True,
                why="recursive forced removal is only allowed inside temp directories",
            )
    elif call.name == "shred":
        operands, _ = split_options(call.args, "ns", frozenset({"--iterations", "--size", "--random-source"}))
        return _removal_verdict(
            call,
            operands,
            ctx,
            strict=True,
            why="shred destroys files beyond recovery and is only allowed in temp directories",
        )
    elif call.name == "find":
        return _find_rule(call, ctx)
    return None


def _long_prefix(option: str, full: str) -> bool:
    return len(option) >= 3 and option.startswith("--") and full.startswith(option)


def _removal_verdict(call: _Call, targets: list[Word], ctx: PolicyContext, *, strict: bool, why: str) -> Verdict | None:
    temps = ", ".join(map(str, ctx.temp_dirs))
    for target in [*targets, *([_UNKNOWN] if call.dynamic else [])]:
        # The home, the working and the state directories stay protected even when they live in a temp dir.
        vital = _vital(target, ctx, call.cwds) if target is not _UNKNOWN else None
        if vital:
            return _deny(
                "rm-recursive",
                call.shown,
                f"it would recursively delete {vital}, which cannot be undone; do not try another way.",
            )
        if _inside_temp(target, ctx, call.cwds, strict=strict):
            continue
        if target is _UNKNOWN:
            return _deny("rm-recursive", call.shown, f"{why} ({temps}), and its targets arrive at run time.")
        disaster = _catastrophic(target, ctx, call.cwds)
        if disaster:
            return _deny(
                "rm-recursive",
                call.shown,
                f"it would recursively delete {disaster}, which cannot be undone; do not try another way.",
            )
        return _deny("rm-recursive", call.shown, f"{why} ({temps}), and `{target.text}` is not in one.")
    return None


def _find_rule(call: _Call, ctx: PolicyContext) -> Verdict | None:
    args = list(call.args)
    while args and (args[0].text in ("-H", "-L", "-P", "-D") or args[0].text.startswith("-O")):
        args = args[2:] if args[0].text == "-D" else args[1:]
    starts: list[Word] = []
    while args and not (args[0].text in ("(", ")", "!", ",") or args[0].text.startswith("-")):
        starts.append(args.pop(0))
    destructive = False
    i = 0
    while i < len(args):
        text = args[i].text
        destructive = destructive or text == "-delete"
        if text in ("-exec", "-execdir", "-ok", "-okdir"):
            end = next((k for k in range(i + 1, len(args)) if args[k].text in (";", "+")), len(args))
            argv = tuple(args[i + 1 : end])
            if argv and program_name(argv[0]) in _DELETERS:
                destructive = True
            elif argv:
                cwds = call.cwds if text in ("-exec", "-ok") else (None,)
                verdict = _check_simple(SimpleCommand(argv), ctx, cwds, call.depth + 1)
                if not verdict.allowed:
                    return verdict
            i = end
        i += 1
    if not destructive:
        return None
    for start in starts or [Word.literal(".")]:
        if not _inside_temp(start, ctx, call.cwds, strict=False):
            return _deny(
                "rm-recursive",
                call.shown,
                f"deleting with find is only allowed inside temp directories (`{start.text}` is not): "
                f"{', '.join(map(str, ctx.temp_dirs))}.",
            )
    return None


# Writes into ISOMUX_HOME ---------------------------------------------------------------------

_ISOMUX_WHY = (
    "it would write into the office's state directory ({}), which only Isomux itself changes; "
    "reading files there is fine."
)
_WRITES_OPERANDS = name_set(
    "rm rmdir unlink mkdir touch chmod chown chgrp truncate shred tee mv mkfifo mknod"
    " chattr setfacl vi vim nvim nano emacs ed ex"
)
_COPIES = frozenset({"cp", "install", "rsync", "ln", "scp"})
_COPY_VALUES = "tSmogeFiPlJc"
_TARGET_DIR = ("-t", "--target-directory")


def _isomux_write_rule(call: _Call, ctx: PolicyContext) -> Verdict | None:
    for target in _write_targets(call):
        if _in_isomux_home(target, ctx, call.cwds):
            return _deny("isomux-home-write", call.shown, _ISOMUX_WHY.format(ctx.isomux_home))
    return None


def _write_targets(call: _Call) -> list[Word]:
    name, args = call.name, call.args
    if name in _WRITES_OPERANDS:
        return split_options(args, "smr" if name == "truncate" else "")[0]
    if name in ("sed", "perl"):
        operands, options = split_options(args, "efl" if name == "sed" else "eEIMm")
        in_place = any(o == "-i" or o.startswith("--in-place") for o, _ in options)
        scripted = any(o in ("-e", "-E", "-f", "--expression", "--file") for o, _ in options)
        return (operands if scripted else operands[1:]) if in_place else []
    if name in _COPIES:
        operands, options = split_options(args, _COPY_VALUES, frozenset({"--target-directory", "--suffix"}))
        directory = [v for o, v in options if o in _TARGET_DIR and v is not None]
        if directory:
            return directory
        if name == "ln" and len(operands) == 1:
            return [Word.literal(".")]
        return operands[-1:] if len(operands) >= 2 else []
    if name in ("curl", "wget"):
        _, options = split_options(
            args, "oOPdeHXuAbcEKrTwxYyzm", frozenset({"--output", "--output-document", "--directory-prefix"})
        )
        wanted = ["-o", "--output"] if name == "curl" else ["-O", "--output-document", "-P", "--directory-prefix"]
        return [v for o, v in options if o in wanted and v is not None]
    if name == "dd":
        return [reparse_word(w.text[3:]) for w in args if w.text.startswith("of=")]
    return []


# Secret reads --------------------------------------------------------------------------------

_SECRET_WHY = "`{}` holds secrets (credentials or keys), which must never be read, shown or copied."
_READERS = name_set(
    "cat tac nl head tail less more most bat batcat strings xxd hexdump od base64 base32 view sort diff cmp zcat"
)
# program → (short options taking a value, long ones, options that replace the leading pattern operand)
_PATTERN_READERS: dict[str, tuple[str, frozenset[str], tuple[str, ...]]] = {
    "grep": (
        "efmABCdD",
        name_set("--regexp --file --max-count --context --after-context --before-context"),
        ("-e", "-f", "--regexp", "--file"),
    ),
    "rg": (
        "efgtTmABCjMEr",
        name_set("--regexp --file --glob --iglob --type --type-not --max-count --context --replace --max-depth"),
        ("-e", "-f", "--regexp", "--file"),
    ),
    "awk": ("fvF", frozenset({"--file", "--assign", "--field-separator"}), ("-f", "--file")),
    "sed": (
        "efl",
        frozenset({"--expression", "--file", "--line-length"}),
        ("-e", "-f", "--expression", "--file"),
    ),
}
_ALIASES = {"egrep": "grep", "fgrep": "grep", "zgrep": "grep", "gawk": "awk", "mawk": "awk", "nawk": "awk"}
# interpreter → (short options taking a value, those whose value is code)
_INTERPRETERS = {
    "python": ("cmWX", "c"),
    "node": ("epr", "ep"),
    "ruby": ("eIr", "e"),
    "perl": ("eE", "eE"),
    "php": ("rdcf", "r"),
}
_INTERPRETER_FAMILIES = {"pypy": "python", "nodejs": "node", "deno": "node", "bun": "node"}
_STRING_LITERAL = re.compile(r"""(['"])((?:(?!\1).){1,400}?)\1""")


def _secret_read_rule(call: _Call, ctx: PolicyContext) -> Verdict | None:
    for target in _read_targets(call):
        if _names_secret(target, ctx, call.cwds):
            return _deny("secret-read", call.shown, _SECRET_WHY.format(target.text))
    return None


def _read_targets(call: _Call) -> list[Word]:
    name, args = _ALIASES.get(call.name, call.name), call.args
    if name in _READERS:
        return split_options(args, "nc" if name in ("head", "tail") else "")[0]
    if name in _PATTERN_READERS:
        short, long, explicit = _PATTERN_READERS[name]
        operands, options = split_options(args, short, long)
        pattern_given = any(o in explicit for o, _ in options)
        files = [v for o, v in options if o in ("-f", "--file") and v is not None]
        return files + (operands if pattern_given else operands[1:])
    if name in ("source", "."):
        return list(args[:1])
    if name in _COPIES:
        operands, options = split_options(args, _COPY_VALUES, frozenset({"--target-directory", "--suffix"}))
        return operands if any(o in _TARGET_DIR for o, _ in options) else operands[:-1]
    if name == "dd":
        return [reparse_word(w.text[3:]) for w in args if w.text.startswith("if=")]
    family = _INTERPRETER_FAMILIES.get(name.rstrip("0123456789."), name.rstrip("0123456789."))
    if family in _INTERPRETERS:
        # Only quoted file names in code given on the command line are looked at.
        values, code_options = _INTERPRETERS[family]
        operands, options = split_options(args, values)
        code = [v.text for o, v in options if o[1:] in code_options and v is not None]
        found = [_tool_word(m.group(2)) for text in code for m in _STRING_LITERAL.finditer(text)]
        return found + (operands if family == "perl" and code else [])
    return []


# Paths ---------------------------------------------------------------------------------------

_GLOB_CHARS = re.compile(r"[*?\[\]{}]")
_VARIABLE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])(.*))?", re.DOTALL)
_SECRET_EXEMPT = (".pub", ".example", ".template", ".sample", ".dist")
_SECRET_NAMES = name_set(".netrc _netrc .pgpass .my.cnf credentials.json .git-credentials")
_SECRET_PLACES = name_set(
    ".ssh .aws/credentials .config/gcloud .claude/.credentials.json .codex/auth.json .config/gh/hosts.yml"
)
_SECRET_SAMPLES = name_set(
    ".env .env.local .env.production .netrc .pgpass .my.cnf credentials.json service-account.json"
    " server.pem server.key cert.p12 cert.pfx keystore.jks id_rsa id_ed25519 id_ecdsa id_dsa"
)
_SECRET_STEMS = ("env", "netrc", "pgpass", "cnf", "cred", "service", "pem", "key", "p12", "pfx", "jks", "id_")


def _variable(text: str, ctx: PolicyContext, cwd: Path | None) -> str | None:
    inner = text[1:-1] if text.startswith("{") and text.endswith("}") else text
    match = _VARIABLE.fullmatch(inner)
    if match is None:
        return None
    name, op, default = match.groups()
    values = {"HOME": ctx.home, "TMPDIR": ctx.tmpdir, "ISOMUX_HOME": ctx.isomux_home, "PWD": cwd}
    if name not in values:
        return None
    value = values[name]
    if value is not None:
        return str(value)
    return default if op and "$" not in default and "`" not in default else None


def _expand(word: Word, ctx: PolicyContext, cwd: Path | None) -> str | None:
    """The word with `~`, $HOME, $TMPDIR, $ISOMUX_HOME and $PWD expanded, or None if it holds others."""
    out = []
    for part in word.parts:
        if part.kind is PartKind.TILDE and not part.text:
            out.append(str(ctx.home))
        elif part.kind is PartKind.VAR:
            value = _variable(part.text, ctx, cwd)
            if value is None:
                return None
            out.append(value)
        elif part.kind in (PartKind.TILDE, PartKind.COMMAND):
            return None
        else:
            out.append(part.text)
    return "".join(out)


def _normal(path: str) -> str:
    return "/" + os.path.normpath(path).lstrip("/")


def _absolute(text: str, cwd: Path | None) -> str | None:
    if not text.startswith("/"):
        if cwd is None:
            return None
        text = f"{cwd}/{text}"
    return _normal(text)


def _forms(path: str) -> tuple[str, ...]:
    """The path as written and with symlinks resolved, so neither spelling slips past a check."""
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return (path,)
    return (path,) if real == path else (path, real)


def _root_forms(roots: Sequence[Path]) -> list[str]:
    return [form for root in roots for form in _forms(_normal(str(root)))]


def _is_within(path: str, root: str, *, strict: bool = False) -> bool:
    if path == root:
        return not strict
    return path.startswith(root.rstrip("/") + "/")


def _glob_base(text: str, cwd: Path | None) -> tuple[str, list[str]] | None:
    """Split a pattern into the directory before its first pattern component and the components after."""
    raw = text if text.startswith("/") else (f"{cwd}/{text}" if cwd is not None else None)
    if raw is None:
        return None
    parts = raw.split("/")
    first = next((i for i, p in enumerate(parts) if _GLOB_CHARS.search(p)), len(parts))
    return _normal("/".join(parts[:first]) or "/"), parts[first:]


def _braces(pattern: str) -> list[str]:
    """Expand a few `{a,b}` groups of a pattern (bounded, for matching only)."""
    found = [pattern]
    for _ in range(6):
        expanded = []
        for item in found:
            match = re.search(r"\{([^{}]*,[^{}]*)\}", item)
            if match is None:
                expanded.append(item)
            else:
                head, tail = item[: match.start()], item[match.end() :]
                expanded.extend(head + alt + tail for alt in match.group(1).split(","))
        if expanded == found:
            break
        found = expanded[:64]
    return found


def _inside_temp(word: Word, ctx: PolicyContext, cwds: Cwds, *, strict: bool) -> bool:
    """True when the word names something inside a temp dir, wherever the command runs."""
    temps = _root_forms(ctx.temp_dirs)
    for cwd in cwds:
        text = _expand(word, ctx, cwd)
        if text is None:
            return False
        split = _glob_base(text, cwd) if word.has_glob else None
        if split is not None and split[1]:
            base, rest = split
            if ".." in rest or not all(any(_is_within(f, t) for t in temps) for f in _forms(base)):
                return False
            continue
        path = _absolute(text, cwd)
        if path is None or not all(any(_is_within(f, t, strict=strict) for t in temps) for f in _forms(path)):
            return False
    return True


def _catastrophic(word: Word, ctx: PolicyContext, cwds: Cwds) -> str | None:
    """Describe a removal target that takes the root, the home or the working dir with it, if it does."""
    vital = _vital(word, ctx, cwds)
    if vital:
        return vital
    if word.has_glob:
        return f"everything the pattern `{word.text}` matches"
    if ".." in word.text.split("/"):
        return f"`{word.text}`, which climbs out of the directory with `..`"
    return None


def _vital(word: Word, ctx: PolicyContext, cwds: Cwds) -> str | None:
    """The root, home, state or working directory that removing ``word`` would take with it, if any."""
    for cwd in cwds:
        text = _expand(word, ctx, cwd)
        path = _absolute(text, cwd) if text is not None and not word.has_glob else None
        if path == "/":
            return "the root directory"
        vital = [("the home directory", ctx.home), ("the office's state directory", ctx.isomux_home)]
        for label, vital_path in [*vital, *([("the working directory", cwd)] if cwd is not None else [])]:
            vital_text = _normal(str(vital_path))
            if path == vital_text:
                return label
            if path is not None and _is_within(vital_text, path):
                return f"`{word.text}`, which holds {label}"
    return None


def _in_isomux_home(word: Word, ctx: PolicyContext, cwds: Cwds) -> bool:
    roots = _root_forms([ctx.isomux_home])
    for cwd in cwds:
        text = _expand(word, ctx, cwd)
        split = _glob_base(text, cwd) if text is not None and word.has_glob else None
        if split is not None and split[1]:
            base, rest = split
            if any(_is_within(f, r) for f in _forms(base) for r in roots):
                return True
            for root in roots:  # a pattern in a parent directory may match the state directory itself
                if _is_within(root, base, strict=True):
                    first = root[len(base.rstrip("/")) + 1 :].split("/")[0]
                    if any(fnmatch.fnmatchcase(first, alt) for alt in _braces(rest[0])):
                        return True
            continue
        path = _absolute(text, cwd) if text is not None else None
        if path is not None and any(_is_within(f, r) for f in _forms(path) for r in roots):
            return True
    return False


def _is_secret_name(name: str) -> bool:
    low = name.lower()
    if low.endswith(_SECRET_EXEMPT):
        return False
    return (
        low == ".env"
        or low.startswith(".env.")
        or low in _SECRET_NAMES
        or (low.startswith(("service-account", "service_account")) and low.endswith(".json"))
        or low.endswith((".pem", ".key", ".p12", ".pfx", ".jks"))
        or low.startswith(("id_rsa", "id_ed25519", "id_ecdsa", "id_dsa"))
    )


def _pattern_names_secret(pattern: str) -> bool:
    low = pattern.lower()
    if not (low.startswith(".") or any(stem in low for stem in _SECRET_STEMS)):
        return False  # a bare `*` or `*.json` is too broad to call a secret read
    return any(fnmatch.fnmatchcase(sample, alt) for alt in _braces(low) for sample in _SECRET_SAMPLES)


def _in_secret_place(path: str) -> bool:
    """True inside any `.ssh` dir or at a known credentials file, whoever's home it is in."""
    if path.lower().endswith(".pub"):
        return False
    padded = "/" + path.strip("/") + "/"
    return any(f"/{place}/" in padded for place in _SECRET_PLACES)


def _names_secret(word: Word, ctx: PolicyContext, cwds: Cwds) -> bool:
    """True when reading the word's file (or directory) would read secrets."""
    name = word.text.rstrip("/").rsplit("/", 1)[-1]
    if (_pattern_names_secret(name) if word.has_glob else _is_secret_name(name)) or _in_secret_place(word.text):
        return True
    for cwd in cwds:
        text = _expand(word, ctx, cwd)
        if text is None:
            continue
        split = _glob_base(text, cwd) if word.has_glob else None
        path = split[0] if split is not None else _absolute(text, cwd)
        if path is not None and (
            any(_in_secret_place(f) for f in _forms(path))
            or _is_secret_name(path.rsplit("/", 1)[-1])
            or _office_credential(path, ctx)
        ):
            return True
    return False


def _office_credential(path: str, ctx: PolicyContext) -> bool:
    """The office's own secret and sign-in records: an agent reading them could act as the owner."""
    return any(_normal(str(ctx.isomux_home / name)) in _forms(path) for name in ("secret", "people.json"))
