"""`news-explorer completion bash|zsh|fish`: a shell completion script, made from the parser
itself (commands, their subcommands and options), so it never drifts from the CLI."""

from __future__ import annotations

import argparse

SHELLS = ("bash", "zsh", "fish")


def register(subparsers, parents) -> None:
    p = subparsers.add_parser(
        "completion", help="print a shell completion script",
        description="Print a completion script. bash: `eval \"$(news-explorer completion "
                    "bash)\"` in ~/.bashrc; zsh: the same with zsh in ~/.zshrc; fish: "
                    "`news-explorer completion fish > ~/.config/fish/completions/"
                    "news-explorer.fish`.")
    p.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    p.set_defaults(handler=cmd_completion)


def cmd_completion(args) -> int:
    from explorer.cli import build_parser

    tree = command_tree(build_parser())
    print({"bash": bash, "zsh": zsh, "fish": fish}[args.shell](tree), end="")
    return 0


def command_tree(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict:
    """{command path: (options, [(subcommand, help)])} for the parser and every subparser."""
    options, children, tree = [], [], {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                children.append((name, helps.get(name, "")))
                tree.update(command_tree(sub, path + (name,)))
        elif not action.option_strings and action.choices:      # completion's SHELL
            children.extend((str(choice), action.help or "") for choice in action.choices)
        else:
            options.extend((o, action.help or "") for o in action.option_strings
                           if o.startswith("--"))
    tree[path] = (options, children)
    return tree


def bash(tree: dict) -> str:
    cases = []
    for path, (options, children) in sorted(tree.items()):
        words = " ".join([name for name, _ in children] + [o for o, _ in options])
        cases.append(f'        "{" ".join(path)}") words="{words}" ;;')
    names = sorted({name for _, children in tree.values() for name, _ in children})
    return f"""# news-explorer completion for bash: eval "$(news-explorer completion bash)"
_news_explorer() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" path="" word words i
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${{COMP_WORDS[i]}}"
        case " {" ".join(names)} " in
            *" $word "*) path="${{path:+$path }}$word" ;;
        esac
    done
    case "$path" in
{chr(10).join(cases)}
        *) words="" ;;
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    [[ ${{#COMPREPLY[@]}} -eq 0 ]] && COMPREPLY=($(compgen -f -- "$cur"))
    return 0
}}
complete -F _news_explorer news-explorer
"""


def zsh(tree: dict) -> str:
    return ("# news-explorer completion for zsh: eval \"$(news-explorer completion zsh)\"\n"
            "(( $+functions[compdef] )) || { autoload -U +X compinit && compinit }\n"
            "autoload -U +X bashcompinit && bashcompinit\n" + bash(tree))


def fish(tree: dict) -> str:
    lines = ["# news-explorer completion for fish", "complete -c news-explorer -f"]
    top_options, top_children = tree[()]
    for name, text in top_children:
        lines.append(f"complete -c news-explorer -n __fish_use_subcommand -a {name} "
                     f"-d {_fish_quote(text)}")
    for option, text in top_options:
        lines.append(f"complete -c news-explorer -l {option[2:]} -d {_fish_quote(text)}")
    for path, (options, children) in sorted(tree.items()):
        if not path:
            continue
        seen = " ".join(path)
        condition = f"'__fish_seen_subcommand_from {path[-1]}'"
        for name, text in children:
            lines.append(f"complete -c news-explorer -n {condition} -a {name} "
                         f"-d {_fish_quote(text)}")
        for option, text in options:
            if (option, text) not in top_options:
                lines.append(f"complete -c news-explorer -n {condition} -l {option[2:]} "
                             f"-d {_fish_quote(text)}  # {seen}")
    return "\n".join(lines) + "\n"


def _fish_quote(text: str) -> str:
    return "'" + " ".join(text.split()).replace("\\", "\\\\").replace("'", "\\'") + "'"
