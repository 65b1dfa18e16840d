"""Entity commands: `resolve TEXT`, `tag [PATH ...]`, `entities`, `alias ENTITY ALIAS`."""

from __future__ import annotations

import sys
from pathlib import Path

from explorer.cli.output import bold, dim, emit_json
from explorer.entities.gazetteer import TYPES
from explorer.errors import UserError
from explorer.records import SearchRequest
from explorer.text import decode_bytes, printable


def register(subparsers, parents) -> None:
    p = subparsers.add_parser("resolve", parents=parents,
                              help="the entity a name or phrase stands for ('ChatGPT maker')")
    p.add_argument("text", help="a name, alias or description")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_resolve)

    p = subparsers.add_parser("tag", parents=parents,
                              help="entity mentions in text files (or standard input)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="text files (none: standard input)")
    p.add_argument("--entities", metavar="FILE",
                   help="a YAML gazetteer to use instead of the configured one")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_tag)

    p = subparsers.add_parser("entities", parents=parents,
                              help="entities in the corpus (or a query's results); "
                                   "'entities export' writes the gazetteer out")
    p.add_argument("action", nargs="?", choices=("export",),
                   help="export: the gazetteer (with your aliases) in --format")
    p.add_argument("--format", choices=("yaml", "spacy", "ftm"), default="yaml",
                   help="with export: our YAML, spaCy EntityRuler patterns (JSONL) or "
                        "FollowTheMoney entities (JSONL)")
    p.add_argument("--query", "-q", default="", metavar="Q", help="only articles matching Q")
    p.add_argument("--unlinked", action="store_true",
                   help="names that link to no entity, to add as entities or aliases")
    p.add_argument("--linked-only", action="store_true",
                   help="only gazetteer entities, not the names discovered in the corpus")
    p.add_argument("--limit", type=int, default=0, metavar="N", help="show the first N only")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_entities)

    p = subparsers.add_parser("alias", parents=parents,
                              help="add an alias (or a new entity) to <data>/entities.yaml, or --remove it")
    p.add_argument("entity", help="canonical name (a new entity when unknown)")
    p.add_argument("alias", help="another name for it")
    p.add_argument("--type", choices=TYPES, help="type of a new entity (or a new type)")
    p.add_argument("--remove", action="store_true",
                   help="take back an alias you added (from <data>/entities.yaml)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_alias)


def _config(args):
    """The configuration; `tag` also works where there is no config file."""
    from explorer.config import find_config, load_config

    explicit = getattr(args, "config", None)
    corpus = getattr(args, "corpus", None)
    if find_config(explicit)[0] is None and corpus is None:
        corpus = Path.cwd()
    return load_config(explicit, corpus=corpus, index=getattr(args, "index", None),
                       data=getattr(args, "data", None))


def cmd_resolve(args) -> int:
    from explorer.entities import EntityCatalog

    found = EntityCatalog(_config(args)).resolve(args.text)
    candidates = getattr(found, "candidates", ())
    if args.json:
        emit_json(found.to_dict(args.text) if found or candidates else
                  {"text": args.text, "entity": None, "type": None, "score": 0.0,
                   "alias": None})
        return 0
    if candidates:
        print(f"'{printable(args.text)}' could be any of: "
              f"{', '.join(printable(c) for c in candidates)}")
    elif found is None:
        print(f"'{printable(args.text)}' names no known entity")
    else:
        print(f"{bold(found.name)} ({found.type}) score {found.score:.0f}, "
              f"{found.method} match of '{printable(found.alias)}'")
    return 0


def cmd_tag(args) -> int:
    from explorer.entities import EntityCatalog

    entities = Path(args.entities).expanduser() if args.entities else None
    if entities is not None and not entities.is_file():
        raise UserError(f"{entities}: gazetteer file not found")
    catalog = EntityCatalog(_config(args), replace_with=entities)
    sources = [(p, _read(Path(p))) for p in args.paths] or \
              [("-", decode_bytes(sys.stdin.buffer.read())[0])]
    rows = []
    for name, text in sources:
        for m in catalog.tag(text):
            rows.append({"file": name, **m.to_dict()})
    if args.json:
        emit_json(rows)
        return 0
    for r in rows:
        target = r["entity"] or (("one of " + ", ".join(r["candidates"]))
                                 if r.get("candidates") else "?")
        how = f"({r['type']}, {r['method']} {r['score']:.0f})"
        print(f"{printable(r['file'])}:{r['start']}-{r['end']}  {bold(r['text'])} -> "
              f"{printable(target)} {dim(how)}")
    return 0


def _read(path: Path) -> str:
    try:
        return decode_bytes(path.read_bytes())[0]
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror}") from None


def cmd_entities(args) -> int:
    from explorer.cli.arguments import indexed_workspace

    if args.action == "export":
        return _export(args)
    workspace = indexed_workspace(args)
    ids = workspace.matching_ids(SearchRequest(args.query)) if args.query.strip() else None
    if args.unlinked:
        rows = [{"text": text, "count": count} for text, count in workspace.unlinked(ids)]
    else:
        rows = [c.to_dict() for c in workspace.entity_counts(ids)]
        if not args.linked_only:
            rows += [n.to_dict() for n in workspace.discovered(ids)]
    if args.limit > 0:
        rows = rows[:args.limit]
    if args.json:
        emit_json(rows)
        return 0
    if not rows:
        print("no unlinked names" if args.unlinked else "no entities")
        return 0
    if args.unlinked:
        for r in rows:
            print(f"{r['count']:>6}  {printable(r['text'])}")
        return 0
    print(dim(f"{'articles':>8} {'mentions':>8}  entity"))
    for r in rows:
        kind = f"{r['type']}, discovered" if r.get("discovered") else r["type"]
        print(f"{r['articles']:>8} {r['mentions']:>8}  {bold(printable(r['name']))} "
              f"{dim(kind)}")
    return 0


def cmd_alias(args) -> int:
    from explorer.cli.arguments import indexed_workspace, say_waiting

    workspace = indexed_workspace(args)
    if args.remove:
        ids = workspace.remove_alias(args.entity, args.alias, waiting=say_waiting)
    else:
        ids = workspace.add_alias(args.entity, args.alias, args.type, waiting=say_waiting)
    entity = workspace.entities.gazetteer.get(args.entity)
    name = entity.name if entity else args.entity
    if args.json:
        emit_json({"entity": name, "alias": args.alias, "removed": bool(args.remove),
                   "retagged": ids, "file": str(workspace.entities.curated_path)})
        return 0
    if args.remove:
        print(f"'{printable(args.alias)}' is no longer an alias of {bold(name)}; {len(ids)} "
              f"article(s) re-tagged ({printable(str(workspace.entities.curated_path))})")
        return 0
    print(f"'{printable(args.alias)}' is now {bold(name)}; {len(ids)} article(s) re-tagged "
          f"({printable(str(workspace.entities.curated_path))})")
    return 0


def _export(args) -> int:
    from explorer.entities import EntityCatalog
    from explorer.entities.export import export_entities

    text, left_out = export_entities(EntityCatalog(_config(args)).gazetteer.entities, args.format)
    sys.stdout.write(text)
    if left_out:
        print(f"news-explorer: {left_out} entities of types with no FollowTheMoney schema "
              f"(product, other) left out", file=sys.stderr)
    return 0
