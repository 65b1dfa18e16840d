"""What a reader knows about how news text names people and places: titles and roles before a
name (with the gender a title implies), first names' nicknames and usual gender (from the
`nicknames` and `gender-guesser` packages), common English words (the `english-words` package:
a name that is also a common word needs context), verbs of saying, and the standard
abbreviations of places (AP style, from the `us` package, and a few countries)."""

from __future__ import annotations

from functools import lru_cache

# Honorifics and titles written before a name, with the gender they imply ("" for either).
# Keys are folded words; multi-word titles are matched word by word (see TITLE_WORDS).
HONORIFICS = {
    "mr": "m", "mister": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m", "duke": "m",
    "baron": "m", "count": "m", "emperor": "m", "pope": "m", "father": "m", "brother": "m",
    "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "madame": "f", "dame": "f", "lady": "f",
    "queen": "f", "princess": "f", "duchess": "f", "baroness": "f", "countess": "f",
    "empress": "f", "sister": "f", "mother": "f",
    "dr": "", "prof": "", "professor": "", "rev": "", "reverend": "", "president": "",
    "premier": "", "chancellor": "", "senator": "", "sen": "", "governor": "", "gov": "",
    "rep": "", "representative": "", "congressman": "m", "congresswoman": "f", "mayor": "",
    "judge": "", "justice": "", "gen": "", "general": "", "col": "", "colonel": "",
    "capt": "", "captain": "", "lt": "", "lieutenant": "", "sgt": "", "sergeant": "",
    "adm": "", "admiral": "", "cmdr": "", "commander": "", "maj": "", "major": "",
    "ambassador": "", "secretary": "", "minister": "", "chairman": "m", "chairwoman": "f",
    "chairperson": "", "chair": "", "ceo": "", "cfo": "", "coach": "", "manager": "",
    "inspector": "", "detective": "", "officer": "", "cardinal": "", "bishop": "",
    "archbishop": "", "rabbi": "", "imam": "", "sheikh": "m", "ayatollah": "m", "mp": "",
    "mep": "", "msp": "", "leader": "", "spokesman": "m", "spokeswoman": "f",
    "spokesperson": "", "backbencher": "", "vice": "", "deputy": "", "prime": "",
    "foreign": "", "home": "", "shadow": "", "chief": "", "executive": "", "director": "",
    "former": "", "acting": "", "finance": "", "defence": "", "defense": "", "health": "",
    "trade": "", "state": "", "attorney": "", "dean": "", "striker": "", "midfielder": "",
    "defender": "", "goalkeeper": "", "quarterback": "", "pitcher": "", "singer": "",
    "actor": "m", "actress": "f", "star": "", "veteran": "",
}
# Words that are a title only with another title word after them ("Prime Minister", "Home
# Secretary", "Chief Executive"): alone they are ordinary words or places.
TITLE_PREFIXES = {"vice", "deputy", "prime", "foreign", "home", "shadow", "chief", "executive",
                  "former", "acting", "finance", "defence", "defense", "health", "trade",
                  "state", "attorney", "general", "star", "veteran"}
# Lower-case role words right before a name ("chief executive Sam Altman", "coach Ken Smith"):
# the name that follows is a person's.
ROLES = {"executive", "officer", "chairman", "chairwoman", "president", "director",
         "spokesman", "spokeswoman", "spokesperson", "minister", "secretary", "analyst",
         "coach", "manager", "captain", "founder", "economist", "professor", "senator",
         "governor", "mayor", "judge", "lawyer", "attorney", "leader", "chancellor",
         "backbencher", "mp", "striker", "quarterback", "pitcher", "singer", "actor",
         "actress", "author", "writer", "editor", "reporter", "correspondent", "partner",
         "head", "chief", "ceo", "cfo", "boss", "colleague", "rival", "predecessor",
         "successor", "wife", "husband", "son", "daughter", "brother", "sister", "father",
         "mother", "player", "winner", "champion", "star", "defender", "midfielder",
         "goalkeeper", "candidate", "nominee", "teammate", "team-mate", "opponent", "rep", "sen", "gov", "dr", "mr", "mrs", "ms"}
# Words after a name that say it is someone (or an organisation) acting: verbs of saying and
# the commonest verbs and auxiliaries.
AFTER_NAME = {"said", "says", "say", "told", "tells", "added", "adds", "asked", "asks",
              "argued", "argues", "insisted", "insists", "warned", "warns", "claimed",
              "claims", "stated", "wrote", "writes", "explained", "noted", "announced",
              "announces", "replied", "responded", "declared", "admitted", "denied", "denies",
              "believes", "believed", "thinks", "thought", "hopes", "wants", "wanted",
              "has", "had", "have", "is", "was", "were", "will", "would", "could", "can",
              "should", "may", "might", "must", "did", "does", "who", "whose", "himself",
              "herself", "itself", "also", "later", "then", "now", "spokesman",
              "spokeswoman", "spokesperson", "chief", "executive", "officials", "official",
              "shares", "stock", "agreed", "plans", "planned", "expects", "expected",
              "reported", "reports", "became", "becomes", "won", "wins", "lost", "loses",
              "took", "takes", "made", "makes", "gave", "gives", "got", "gets", "went", "goes",
              "joined", "left", "led", "leads", "met", "meets", "beat", "beats"}
# Words after a noun phrase: a common-word name followed by one ends a phrase ("head of Fiat
# from 1966"), unlike "Apple pie" where the name qualifies the next word.
FUNCTION_WORDS = {"of", "from", "in", "to", "for", "until", "at", "with", "on", "by", "and",
                  "or", "but", "as", "since", "between", "after", "before", "during", "over",
                  "under", "than", "that", "which", "into", "about", "against", "where",
                  "when", "while", "because", "if", "so", "all", "both", "each", "alone",
                  "too", "together", "first", "last", "again", "still", "already", "not"}
# Name endings that are not part of the surname.
GENERATIONAL = {"jr", "sr", "ii", "iii", "iv", "junior", "senior"}
# Particles that start a surname ("van Garderen", "de Gaulle").
PARTICLES = {"van", "von", "de", "del", "della", "di", "da", "le", "la", "du", "der", "den",
             "ter", "ten", "al", "el", "bin", "ibn", "mac", "st"}
# Countries' initials, written in capitals ("US", "U.K."), -> the country's folded name.
COUNTRY_ABBREVIATIONS = {"us": "united states", "usa": "united states", "uk": "united kingdom",
                         "uae": "united arab emirates", "ussr": "soviet union",
                         "prc": "china", "drc": "democratic republic of the congo"}


@lru_cache(maxsize=1)
def place_abbreviations() -> dict[str, str]:
    """Folded letters of an abbreviation ("calif", "ny") -> the place's folded name, for the
    AP abbreviations of US states (the `us` package) and a few countries' initials. Only
    written with full stops ("Calif.", "N.Y.") or, for countries, in capitals ("US", "UK")."""
    import us

    table = {}
    for state in us.states.STATES_AND_TERRITORIES:
        ap = state.ap_abbr
        if ap and ap.replace(".", "").casefold() != state.name.casefold():
            table["".join(c for c in ap.casefold() if c.isalnum())] = state.name.casefold()
    return table


@lru_cache(maxsize=1)
def _nicknamer():
    from nicknames import NickNamer

    return NickNamer()


@lru_cache(maxsize=1 << 14)
def first_name_forms(first: str) -> frozenset[str]:
    """The other forms of a folded first name, both ways: 'william' -> 'bill', 'will' ...;
    'bill' -> 'william' ...; a name with none gives an empty set."""
    namer = _nicknamer()
    forms = set(namer.nicknames_of(first)) | set(namer.canonicals_of(first))
    forms.discard(first)
    return frozenset(f.casefold() for f in forms if f.isalpha())


@lru_cache(maxsize=1)
def _gender_detector():
    import gender_guesser.detector as detector

    return detector.Detector(case_sensitive=False)


@lru_cache(maxsize=1 << 14)
def first_name_gender(first: str) -> str:
    """'m', 'f' or '' (unknown or either) for a first name, from gender-guesser."""
    if len(first) < 2:
        return ""
    found = _gender_detector().get_gender(first)
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}.get(found, "")


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """English words written in lower case in a dictionary (Webster's 2nd, from the
    `english-words` package): "apple", "brown", "club"; names written capitalised there
    ("Paris", "Ryan") are not in it."""
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True)
                     if w.islower())


def is_common_word(word: str) -> bool:
    """A folded word is an ordinary English word (its plural too: "giants")."""
    words = common_words()
    return word in words or (len(word) > 3 and word.endswith("s") and word[-2] not in "siu"
                             and word[:-1] in words)


@lru_cache(maxsize=1 << 14)
def is_first_name(word: str) -> bool:
    """A folded word is a known first name (gender-guesser's table)."""
    return len(word) > 1 and _gender_detector().get_gender(word) != "unknown"
