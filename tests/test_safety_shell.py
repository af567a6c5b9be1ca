"""The command parser the safety policy relies on: what it sees in a command line, and that it never fails."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isomux.safety.shell import PartKind, Word, parse, split_options, unwrap


def argvs(source: str) -> list[list[str]]:
    return [[w.text for w in c.words] for c in parse(source).commands]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("ls -la", [["ls", "-la"]], id="plain"),
        pytest.param("echo 'a b' \"c d\" e\\ f", [["echo", "a b", "c d", "e f"]], id="quotes-and-escapes"),
        pytest.param("r\\m -r''f \"\"~", [["rm", "-rf", "~"]], id="quotes-glued-into-words"),
        pytest.param('echo "a \\"q\\" \\$x \\n"', [["echo", 'a "q" $x \\n']], id="double-quote-escapes"),
        pytest.param("echo $'a\\tb\\x41\\'c'", [["echo", "a\tbA'c"]], id="ansi-c-quotes"),
        pytest.param("a; b && c || d & e | f |& g", [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]], id="operators"),
        pytest.param("a\nb\n\nc", [["a"], ["b"], ["c"]], id="newlines"),
        pytest.param("ls # rm -rf ~\necho x#y", [["ls"], ["echo", "x#y"]], id="comments-only-at-word-start"),
        pytest.param("echo a \\\n  b", [["echo", "a", "b"]], id="line-continuation"),
        pytest.param("(cd x && rm y)", [["cd", "x"], ["rm", "y"]], id="subshell"),
        pytest.param("{ a; b; }", [["a"], ["b"]], id="group"),
        pytest.param("if true; then rm x; fi", [["true"], ["rm", "x"]], id="keywords-are-skipped"),
        pytest.param("f() { rm -rf ~; }; f", [["rm", "-rf", "~"], ["f"]], id="function-body"),
        pytest.param("echo $(rm -rf ~)", [["rm", "-rf", "~"], ["echo", "$(rm -rf ~)"]], id="command-substitution"),
        pytest.param(
            'echo "x$(git clean -fdx)"',
            [["git", "clean", "-fdx"], ["echo", "x$(git clean -fdx)"]],
            id="substitution-inside-double-quotes",
        ),
        pytest.param("echo `rm -rf ~`", [["rm", "-rf", "~"], ["echo", "$(rm -rf ~)"]], id="backticks"),
        pytest.param(
            "echo $(echo $(rm x))",
            [["rm", "x"], ["echo", "$(rm x)"], ["echo", "$(echo $(rm x))"]],
            id="nested-substitution",
        ),
        pytest.param("diff <(cat .env) x", [["cat", ".env"], ["diff", "$(cat .env)", "x"]], id="process-substitution"),
        pytest.param(
            "echo ${X:-$(rm y)}",
            [["rm", "y"], ["echo", "${X:-$(rm y)}"]],
            id="substitution-in-parameter-default",
        ),
        pytest.param("echo 'rm -rf ~'", [["echo", "rm -rf ~"]], id="single-quotes-are-data"),
        pytest.param("cat <<EOF\nrm -rf ~\nEOF\nls", [["cat"], ["ls"]], id="heredoc-body-is-data"),
        pytest.param(
            "cat <<EOF\n$(rm -rf ~)\nEOF",
            [["cat"], ["rm", "-rf", "~"]],
            id="unquoted-heredoc-runs-substitutions",
        ),
        pytest.param("cat <<'EOF'\n$(rm -rf ~)\nEOF", [["cat"]], id="quoted-heredoc-does-not"),
        pytest.param("cat <<-EOF\n\trm x\n\tEOF\nls", [["cat"], ["ls"]], id="heredoc-with-tabs"),
        pytest.param("X=1 Y=$(id) cmd", [["id"], ["X=1", "Y=$(id)", "cmd"]], id="assignments"),
        pytest.param("echo $((1 + 2))", [["1", "+", "2"], ["echo", "$((1 + 2))"]], id="arithmetic"),
    ],
)
def test_parse_finds_every_command(source: str, expected: list[list[str]]) -> None:
    script = parse(source)
    assert script.error is None
    assert argvs(source) == expected


def test_redirections_are_separated_from_words() -> None:
    (command,) = parse("cmd a 2>&1 >>out.log <in &>all 3>|x b").commands
    assert [w.text for w in command.words] == ["cmd", "a", "b"]
    assert [(r.op, r.fd, r.target.text) for r in command.redirects] == [
        (">&", 2, "1"),
        (">>", None, "out.log"),
        ("<", None, "in"),
        ("&>", None, "all"),
        (">", 3, "x"),
    ]


def test_heredoc_and_herestring_keep_their_text() -> None:
    first, second = parse("sh <<'EOF'\ngit reset --hard\nEOF\nbash <<< 'rm -rf ~'").commands
    assert (first.redirects[0].op, first.redirects[0].body) == ("<<", "git reset --hard")
    assert (second.redirects[0].op, second.redirects[0].target.text) == ("<<<", "rm -rf ~")


def test_words_keep_expansions_apart_from_literals() -> None:
    (command,) = parse("rm \"$HOME/a\" ~/b '$HOME' *.o ~bob/x").commands
    kinds = [[p.kind for p in w.parts] for w in command.words[1:]]
    assert kinds == [
        [PartKind.VAR, PartKind.QUOTED],
        [PartKind.TILDE, PartKind.LITERAL],
        [PartKind.QUOTED],
        [PartKind.GLOB, PartKind.LITERAL],
        [PartKind.TILDE, PartKind.LITERAL],
    ]
    assert command.words[5].parts[0].text == "bob"


@pytest.mark.parametrize(
    ("source", "steps", "sure"),
    [
        pytest.param("cd /tmp && rm x", ["/tmp"], 1, id="and-chain"),
        pytest.param("cd /tmp; rm x", ["/tmp"], 0, id="semicolon-may-follow-a-failed-cd"),
        pytest.param("cd /tmp || rm x", ["/tmp"], 0, id="or-runs-after-failure"),
        pytest.param("cd a && cd b && rm x", ["a", "b"], 2, id="two-steps"),
        pytest.param("cd a; cd b && rm x", ["a", "b"], 0, id="sure-only-from-the-start"),
        pytest.param("cd a && (true; rm x)", ["a"], 1, id="subshell-keeps-what-ran-before-it"),
        pytest.param("cd a && (cd b; rm x)", ["a", "b"], 1, id="subshell-doubts-its-own-cd"),
        pytest.param("(cd /tmp) && rm x", [], 0, id="subshell-cd-does-not-leak"),
        pytest.param("cd /tmp | rm x", [], 0, id="pipeline-stage-is-a-subshell"),
        pytest.param("cd && rm x", ["~"], 1, id="bare-cd-goes-home"),
    ],
)
def test_cd_before_a_command_is_recorded(source: str, steps: list[str], sure: int) -> None:
    last = parse(source).commands[-1]
    assert [w.text for w in last.words] == ["rm", "x"]
    assert [w.text for w in last.cd_steps] == steps
    assert last.cd_sure == sure


def test_pipeline_stage_knows_what_feeds_it() -> None:
    echo, shell = parse("echo 'rm -rf ~' | sh").commands
    assert shell.stdin_from == echo


@pytest.mark.parametrize(
    ("source", "error"),
    [
        pytest.param("echo 'abc", "a single quote is not closed", id="single-quote"),
        pytest.param('echo "abc', "a double quote is not closed", id="double-quote"),
        pytest.param("echo $(ls", "a `(` or `$(` is not closed", id="substitution"),
        pytest.param("echo `ls", "a backtick substitution is not closed", id="backtick"),
        pytest.param("echo ${x", "a ${…} expansion is not closed", id="parameter"),
        pytest.param("ls >", "the redirection `>` has no target", id="redirect-target"),
        pytest.param("$(" * 500, "commands are nested too deeply", id="nesting"),
    ],
)
def test_broken_input_is_reported_not_raised(source: str, error: str) -> None:
    assert parse(source).error == error


def test_broken_input_is_still_parsed_as_far_as_possible() -> None:
    script = parse("git reset --hard; echo 'oops")
    assert script.error is not None
    assert [[w.text for w in c.words] for c in script.commands] == [
        ["git", "reset", "--hard"],
        ["echo", "oops"],
    ]


def inner(source: str) -> tuple[list[str], tuple[str, ...], bool, bool]:
    command = parse(source).commands[-1]
    found = unwrap(command)
    return [w.text for w in found.argv], found.scripts, found.dynamic_args, found.cwd_known


@pytest.mark.parametrize(
    ("source", "argv", "scripts"),
    [
        pytest.param("env X=1 rm -fr ~/src", ["rm", "-fr", "~/src"], (), id="env"),
        pytest.param("A=1 B=2 git push", ["git", "push"], (), id="assignments"),
        pytest.param("sudo -u root -E rm -rf /srv", ["rm", "-rf", "/srv"], (), id="sudo-with-options"),
        pytest.param("doas -u x rm y", ["rm", "y"], (), id="doas"),
        pytest.param("nice -n 5 nohup time timeout -s KILL 5 rm x", ["rm", "x"], (), id="stacked-wrappers"),
        pytest.param(
            "exec command builtin /usr/bin/git status",
            ["/usr/bin/git", "status"],
            (),
            id="exec-command-builtin",
        ),
        pytest.param("command -v rm", ["command", "-v", "rm"], (), id="command-lookup-runs-nothing"),
        pytest.param("sh -c 'rm -rf ~'", [], ("rm -rf ~",), id="sh-c"),
        pytest.param("/bin/bash -lc 'git reset --hard'", [], ("git reset --hard",), id="combined-flags"),
        pytest.param("bash -o pipefail -ec 'x'", [], ("x",), id="shell-option-with-value"),
        pytest.param("zsh -x -c 'y' name arg", [], ("y",), id="zsh"),
        pytest.param("eval 'git push' -f", [], ("git push -f",), id="eval-joins-its-arguments"),
        pytest.param("bash script.sh", [], (), id="script-file-is-not-read"),
        pytest.param("bash <<'EOF'\nrm -rf ~\nEOF", [], ("rm -rf ~",), id="shell-reading-heredoc"),
        pytest.param("sh <<< 'rm -rf ~'", [], ("rm -rf ~",), id="shell-reading-herestring"),
        pytest.param("echo 'rm -rf ~' | sh", [], ("rm -rf ~",), id="echo-piped-to-shell"),
        pytest.param("printf 'git reset --hard\\n' | bash -s", [], ("git reset --hard\n",), id="printf-piped"),
        pytest.param("cat <<EOF | sh\nrm -rf ~\nEOF", [], ("rm -rf ~",), id="heredoc-piped-to-shell"),
        pytest.param("su -c 'rm -rf /' root", [], ("rm -rf /",), id="su"),
        pytest.param("env -S 'rm -rf' ~", [], ("rm -rf ~",), id="env-split-string"),
    ],
)
def test_unwrap_sees_the_real_command(source: str, argv: list[str], scripts: tuple[str, ...]) -> None:
    found_argv, found_scripts, _, _ = inner(source)
    assert (found_argv, found_scripts) == (argv, scripts)


def test_xargs_marks_arguments_as_unknown() -> None:
    assert inner("xargs -0 -n 1 rm -rf < list") == (["rm", "-rf"], (), True, True)


def test_changing_directory_in_a_wrapper_makes_cwd_unknown() -> None:
    assert inner("env -C /x rm y")[3] is False
    assert inner("sudo -D /x rm y")[3] is False


def test_split_options_understands_gnu_style() -> None:
    words = tuple(Word.literal(t) for t in ["-rf", "-n", "3", "--color=auto", "--max", "2", "a", "--", "-b"])
    operands, options = split_options(words, "n", frozenset({"--max"}))
    assert [w.text for w in operands] == ["a", "-b"]
    assert [(o, v.text if v else None) for o, v in options] == [
        ("-r", None),
        ("-f", None),
        ("-n", "3"),
        ("--color", "auto"),
        ("--max", "2"),
    ]


PATHOLOGICAL = [
    pytest.param("a|" * 20000 + "a", id="long-pipeline"),
    pytest.param("sh | " * 5000 + "sh", id="pipeline-of-shells"),
    pytest.param("(" * 20000, id="open-parentheses"),
    pytest.param("$(" * 20000, id="open-substitutions"),
    pytest.param("`" * 20001, id="backticks"),
    pytest.param("${" * 20000, id="open-parameters"),
    pytest.param("<<EOF\n" * 3000, id="heredocs"),
    pytest.param("cd a && " * 3000 + "rm -rf x", id="many-cds"),
    pytest.param("x" * 200000, id="long-word"),
    pytest.param('"' + "$x" * 50000, id="long-quoted-word"),
]


@pytest.mark.parametrize("source", PATHOLOGICAL)
def test_pathological_input_is_handled(source: str) -> None:
    script = parse(source)
    for command in script.commands:
        unwrap(command)
        assert len(command.cd_steps) <= 16


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_text_parses_without_raising(source: str) -> None:
    script = parse(source)
    for command in script.commands:
        unwrap(command)


shellish = st.text(alphabet=st.sampled_from(list("ab $(){}<>|&;'\"`\\\n#~*=-0123EOF")), max_size=80)


@settings(max_examples=1500, deadline=None)
@given(shellish)
def test_shell_like_text_parses_without_raising(source: str) -> None:
    script = parse(source)
    for command in script.commands:
        unwrap(command)
