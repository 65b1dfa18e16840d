"""Names not in the gazetteer ("unlinked candidates", shown as names to add): a capitalised run
of words is cut into the names a reader sees in it. "Tony Blair and Gordon Brown" is two people,
"Backbencher Stephen Pound" is Stephen Pound, "England and Wales" two places, while "Marks &
Spencer" and "General Motors" stay whole.

`split_candidate(text)` works on a string (for callers outside the tagger); `candidate_spans`
on the words of a text, as the tagger has them."""

from __future__ import annotations

from explorer.entities.names import HONORIFICS, is_first_name
from explorer.entities.wordlists import NOT_NAMES

# Titles that are titles wherever they stand before a capitalised word ("Mr Brown", "President
# Bush"); other title words ("General", "Home", "Chief") only before a first name.
PURE_TITLES = {"mr", "mrs", "ms", "miss", "mister", "dr", "sir", "dame", "lady", "lord", "prof",
               "rev", "sen", "gov", "rep", "president", "senator", "governor", "congressman",
               "congresswoman", "mayor", "judge", "justice", "premier", "chancellor", "pope",
               "king", "queen", "prince", "princess", "ambassador", "mp", "mep", "msp",
               "professor", "reverend", "minister", "secretary", "chairman", "chairwoman",
               "spokesman", "spokeswoman", "coach", "captain", "backbencher", "former"}
_SPLIT_AT = {"and", "or"}
_TITLE_OR_NOT_NAME = frozenset(HONORIFICS) | NOT_NAMES
_ENDS = frozenset(NOT_NAMES | _SPLIT_AT)


def title_length(folded: list[str], a: int, b: int) -> int:
    """How many words at the start of words a..b are a title or role before a name ("Prime
    Minister" of "Prime Minister Tony Blair"): 0 when there is none or nothing would be left,
    and 0 when the title words could be the name itself ("General Motors", "Home Office")."""
    k = a
    while k < b - 1 and (folded[k] in HONORIFICS or folded[k] in NOT_NAMES):
        k += 1
    if k == a:
        return 0
    if any(f in PURE_TITLES or (f in NOT_NAMES and f not in HONORIFICS)
           for f in folded[a:k]) or is_first_name(folded[k]):
        return k - a
    return 0


def candidate_spans(folded: list[str], caps: list[bool], a: int, b: int
                    ) -> list[tuple[int, int]]:
    """The names in words a..b of a capitalised run: cut at "and" / "or" (companies write
    "Marks & Spencer", and "&" is kept), then without leading titles and roles."""
    if folded[a] not in _TITLE_OR_NOT_NAME and folded[b - 1] not in _ENDS and \
            _SPLIT_AT.isdisjoint(folded[a:b]):
        return [(a, b)]                 # most runs: nothing to cut (checked in C)
    pieces: list[tuple[int, int]] = []
    start = a
    for k in range(a, b):
        if folded[k] in _SPLIT_AT and start < k < b - 1:
            pieces.append((start, k))
            start = k + 1
    pieces.append((start, b))
    out = []
    for i, j in pieces:
        i += title_length(folded, i, j)
        while i < j and folded[i] in NOT_NAMES:
            i += 1
        while j > i and folded[j - 1] in _ENDS:
            j -= 1
        if i < j:
            out.append((i, j))
    return out


def split_candidate(text: str) -> list[str]:
    """The names in a candidate string: "Tony Blair and Gordon Brown" -> ["Tony Blair",
    "Gordon Brown"]; "Backbencher Stephen Pound" -> ["Stephen Pound"]."""
    from explorer.entities.tokens import words

    w = words(text)
    spans = candidate_spans(w.folded, w.caps, 0, len(w.folded))
    return [text[w.starts[i]:w.ends[j - 1]] for i, j in spans]
