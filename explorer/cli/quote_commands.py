"""Quotes: `quotes list | add | rm | export` (kept quotes) and `quotations` (detected)."""

from __future__ import annotations

import shlex
import sys

from explorer.quotes import kept
from explorer.cli.arguments import indexed_workspace, positive_int
from explorer.cli.output import bold, dim, emit_json
from explorer.quotes.export import FORMATS, default_path, render, write_export
from explorer.quotes.detection import corpus_quotations, quotation_record
from explorer.text import printable


def register(subparsers, parents) -> None:
    quotes = subparsers.add_parser("quotes", parents=parents, help="kept quotes",
                                   description="Passages kept from articles, with citations.")
    commands = quotes.add_subparsers(dest="quotes_command", metavar="SUBCOMMAND", required=True,
                                     help="what to do")

    p = commands.add_parser("list", parents=parents, help="kept quotes, numbered")
    _filters(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_list)

    p = commands.add_parser("add", parents=parents, help="keep a passage of an article")
    p.add_argument("article_id", metavar="ARTICLE_ID", help="article id (or a unique prefix)")
    p.add_argument("--text", required=True,
                   help="the passage; it must occur in the article (quotes, spaces folded)")
    p.add_argument("--note", default="", help="a note kept with the quote")
    p.add_argument("--tag", action="append", default=[], metavar="T", help="repeatable")
    p.add_argument("--at", type=int, metavar="OFFSET",
                   help="the occurrence nearest this character offset (default: the first)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_add)

    p = commands.add_parser("rm", parents=parents, help="remove quote N (as 'quotes list' shows)")
    p.add_argument("number", type=positive_int, metavar="N",
                   help="the quote's number in `quotes list`")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_rm)

    p = commands.add_parser("export", parents=parents, help="export quotes with citations",
                            description="Write the kept quotes (filtered) with their citations: "
                                        "md, csv, json, annotation (W3C Web Annotation "
                                        "JSON-LD), csl (CSL-JSON) or readwise (Readwise CSV).")
    p.add_argument("--format", choices=FORMATS, required=True, help="the export format")
    p.add_argument("--output", "-o", metavar="FILE",
                   help="write to FILE (atomically; '-' for stdout); default: a new file in "
                        "<data>/exports/")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.add_argument("--excel", action="store_true",
                   help="CSV formats: start with a UTF-8 byte order mark for Excel")
    _filters(p)
    p.set_defaults(handler=cmd_export)

    p = subparsers.add_parser("quotations", parents=parents,
                              help="quotations detected in the articles, with speakers")
    p.add_argument("--query", default="", metavar="Q",
                   help="only articles matching this query (default: every article)")
    p.add_argument("--speaker", metavar="NAME", help="only this speaker (any alias)")
    p.add_argument("--entity", action="append", default=[], metavar="NAME",
                   help="only articles mentioning this entity (repeatable)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_quotations)


def _filters(p) -> None:
    p.add_argument("--query", metavar="Q", help="words in the quote, note, title or speaker")
    p.add_argument("--tag", metavar="T", help="only quotes with this tag")
    p.add_argument("--entity", action="append", default=[], metavar="NAME",
                   help="quotes mentioning or spoken by this entity, any alias (repeatable)")


def _selected(args, workspace) -> list[kept.KeptQuote]:
    items = kept.refresh(workspace)
    wanted = []
    for name in args.entity:
        found = workspace.resolve_entity(name)
        wanted.append({name, found[0]} if found else {name})
    return kept.filter_kept_quotes(items, query=args.query, tag=args.tag, entities=wanted)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def _print_quote(item: kept.KeptQuote) -> None:
    print(f"{item.number:>3}. \u201c{printable(_short(item.text))}\u201d")
    meta = [item.speaker, item.title, item.source, (item.date or "")[:10] or None,
            item.article_id]
    print("     " + dim(" \u00b7 ".join(printable(m) for m in meta if m)))
    extras = []
    if item.tags:
        extras.append("tags: " + ", ".join(item.tags))
    if item.note:
        extras.append("note: " + item.note)
    if item.status != "anchored":
        extras.append(item.status + (" (text no longer in the article)" if item.orphaned
                                     else " (article changed; found again)"))
    for extra in extras:
        print("     " + printable(extra))


def cmd_list(args) -> int:
    workspace = indexed_workspace(args)
    items = _selected(args, workspace)
    if args.json:
        emit_json([item.to_dict() for item in items])
        return 0
    if not items:
        total = len(kept.store_for(workspace).load())
        print("no quotes match" if total else
              "no quotes yet: news-explorer quotes add ARTICLE_ID --text TEXT")
        return 0
    for item in items:
        _print_quote(item)
    return 0


def cmd_add(args) -> int:
    workspace = indexed_workspace(args)
    try:
        item = kept.keep_text(workspace, args.article_id, args.text, note=args.note,
                              tags=args.tag, near=args.at)
    except kept.AlreadyKept as exc:         # not an error: nothing to add
        if args.json:
            emit_json(exc.existing.to_dict())
        else:
            print(printable(str(exc)))
        return 0
    if args.json:
        emit_json(item.to_dict())
        return 0
    print(f"kept quote {item.number} from {bold(item.title)}")
    _print_quote(item)
    return 0


def cmd_rm(args) -> int:
    workspace = indexed_workspace(args, ensure=False)
    item = kept.store_for(workspace).remove(args.number)
    if args.json:
        emit_json(item.to_dict())
        return 0
    print(f"removed quote {args.number}: \u201c{printable(_short(item.text, 70))}\u201d")
    print("to put it back: " + printable(put_back_command(item)))
    return 0


def put_back_command(item: kept.KeptQuote) -> str:
    """The `quotes add` command that keeps the same passage again, with its note and tags."""
    text = " ".join(item.text.split())         # spaces and newlines are folded when matching
    words = ["news-explorer", "quotes", "add", item.article_id, "--text", text,
             "--at", str(item.start)]
    if item.note:
        words += ["--note", item.note]
    for tag in item.tags:
        words += ["--tag", tag]
    return " ".join(shlex.quote(word) for word in words)


def cmd_export(args) -> int:
    workspace = indexed_workspace(args)
    items = _selected(args, workspace)
    records = [item.to_dict() for item in items]
    if args.output == "-":
        sys.stdout.write(render(args.format, records, excel=args.excel))
        return 0
    data = workspace.config.data
    path = write_export(args.output or default_path(data, args.format), args.format, records,
                        force=args.force, data=data, excel=args.excel)
    print(f"wrote {len(items)} quote{'s' if len(items) != 1 else ''} to {path}", file=sys.stderr)
    return 0


def cmd_quotations(args) -> int:
    workspace = indexed_workspace(args)
    found = corpus_quotations(workspace, args.query, speaker=args.speaker,
                              entities=args.entity)
    if args.json:
        emit_json([quotation_record(article, quote) for article, quote in found])
        return 0
    if not found:
        print("no quotations found")
        return 0
    for article, quote in found:
        who = quote.speaker or "(unattributed)"
        if quote.speaker_role and quote.speaker_role != quote.speaker:
            who += f", {quote.speaker_role}"
        print(f"{bold(who)}  {dim(article.id + f' {quote.start}-{quote.end}')}")
        print(f"    \u201c{printable(_short(quote.text, 200))}\u201d")
        print("    " + dim(" \u00b7 ".join(printable(m) for m in
                                            (article.title, (article.date or '')[:10]) if m)))
    speakers = {q.speaker for _, q in found if q.speaker}
    print(dim(f"{len(found)} quotations, {len(speakers)} speakers, "
              f"{len({a.id for a, _ in found})} articles"))
    return 0
