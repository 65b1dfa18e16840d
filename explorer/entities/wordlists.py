"""Small word lists the matching rules use (English news)."""

# Lower-case words that may sit inside a capitalised name: "Bank of America", "Johnson & Johnson".
CONNECTORS = {"of", "and", "&", "de", "del", "da", "van", "von", "der", "du", "la", "le", "for"}
# First words too generic to stand for a company on their own (the short-name rule).
GENERIC = {"new", "first", "general", "national", "united", "american", "international",
           "global", "north", "south", "east", "west", "central", "great", "royal", "big",
           "world", "federal", "state", "city", "bank", "the", "public", "pacific", "atlantic",
           "southern", "northern", "western", "eastern", "standard", "continental", "us",
           "european", "british", "china", "japan", "canadian", "mid", "data", "swiss", "german",
           "french", "japanese", "dutch", "italian", "australian", "union", "industrial",
           "capital", "financial", "home", "security", "savings", "trust", "mutual", "energy",
           "computer", "digital", "american", "texas", "california", "york"}
# Words that are capitalised without being (part of) a name.
NOT_NAMES = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "i", "mr", "mrs", "ms", "dr", "chief", "executive", "officer", "financial",
    "operating", "president", "vice", "chairman", "ceo", "cfo", "coo", "cto", "director",
    "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "analyst", "senior",
    "he", "she", "it", "we", "they", "this", "that", "these", "those", "but", "and", "or", "if",
    "in", "on", "at", "as", "for", "with", "after", "before", "while", "when", "a", "an", "the",
    "its", "his", "her", "their", "our", "there", "here", "so", "also", "however", "meanwhile",
    "according", "despite", "over", "under", "inc", "corp", "co", "ltd", "mln", "dlrs", "pct",
    "billion", "million", "said", "says", "reuters", "yesterday", "today", "tomorrow",
    "earlier", "later", "last", "next", "shares", "stock", "where", "who", "whose", "whom",
    "which", "what", "why", "how", "then", "now", "because", "although", "though", "since",
    "until", "unless", "both", "all", "any", "each", "some", "such"}


# Places and nationalities: as a single word, a harvested company alias ("WASHINGTON" of
# Washington Water Power, "AMERICAN" of AMR) far more often means the place.
PLACES = {
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut",
    "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas",
    "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota",
    "mississippi", "missouri", "montana", "nebraska", "nevada", "ohio", "oklahoma", "oregon",
    "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia", "washington",
    "wisconsin", "wyoming", "dallas", "houston", "chicago", "boston", "detroit", "denver",
    "atlanta", "seattle", "pittsburgh", "philadelphia", "london", "paris", "tokyo", "toronto",
    "montreal", "sydney", "hong", "kong", "singapore", "zurich", "frankfurt", "brussels",
    "america", "canada", "mexico", "brazil", "argentina", "britain", "england", "scotland",
    "ireland", "france", "germany", "italy", "spain", "portugal", "netherlands", "holland",
    "belgium", "switzerland", "austria", "sweden", "norway", "denmark", "finland", "japan",
    "china", "korea", "taiwan", "india", "australia", "zealand", "africa", "europe", "asia",
    "pacific", "atlantic", "gulf", "american", "canadian", "mexican", "brazilian", "british",
    "english", "irish", "french", "german", "italian", "spanish", "dutch", "belgian", "swiss",
    "swedish", "norwegian", "danish", "japanese", "chinese", "korean", "indian", "australian",
    "european", "asian", "african", "continental", "national", "international", "federal",
    "western", "eastern", "northern", "southern", "midwest",
}
