"""Stable article ids: an article keeps its id while any copy of it remains in the corpus.

An id is first made from the file (or record) that brings a text in (`article_id(locator)`),
and from then on belongs to the text (its content hash), whichever of its copies come and go:
a duplicate that sorts first, the removal of the file that gave the id, or of one of two
byte-identical copies, changes nothing. A file edited in place keeps the id its old text had
when no copy of the old text remains. Ids are kept in the manifest (`ids`: hash -> id).
Pure: no files, no Whoosh.
"""

from __future__ import annotations

import hashlib
from typing import Iterable


def assign_ids(old_ids: dict[str, str], old_hash_of: dict[str, str],
               members: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """The id of each distinct text now: {hash: id}.

    old_ids: {hash: id} as last committed; old_hash_of: {locator: hash} as last committed;
    members: (locator, hash, own id) of every article read now, copies included.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for locator, digest, own in sorted(members):
        groups.setdefault(digest, []).append((locator, own))
    order = sorted(groups, key=lambda digest: groups[digest][0][0])
    ids: dict[str, str] = {}
    taken: set[str] = set()
    # 1. A text that was there before keeps its id, wherever its copies are now.
    for digest in order:
        if digest in old_ids:
            ids[digest] = old_ids[digest]
            taken.add(old_ids[digest])
    # 2. A file edited in place keeps its old text's id when no copy of that text remains.
    for digest in order:
        if digest in ids:
            continue
        for locator, _ in groups[digest]:
            before = old_ids.get(old_hash_of.get(locator, ""))
            if before is not None and before not in taken:
                ids[digest] = before
                taken.add(before)
                break
    # 3. A new text: the id of its first file, unless another text holds that one already.
    for digest in order:
        if digest in ids:
            continue
        candidate = groups[digest][0][1]
        salt = 0
        while candidate in taken:
            salt += 1
            candidate = hashlib.sha1(f"{groups[digest][0][1]}\0{digest}\0{salt}".encode()
                                     ).hexdigest()[:12]
        ids[digest] = candidate
        taken.add(candidate)
    return ids
