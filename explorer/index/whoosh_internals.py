"""Every use of Whoosh's private parts, and every subclass of a Whoosh class, in one place.

whoosh-reloaded is pinned to one version (pyproject.toml); the code here reads and extends its
internals (the W3 codec's posting blocks and length columns, the segment writer and posting
pool, the Positions format), so it checks that version at import and refuses any other with one
clear line. The rest of the package uses Whoosh's public API only (tests/test_layers.py).

The classes here are pickled into an index's table of contents (the codec with each segment,
the format with the schema): their module path is part of the stored format. Moving them is a
schema change (explorer/index/schema.py: SCHEMA_VERSION), so older indexes are rebuilt.

The codec: Whoosh 2.7.5's W3 codec, writing posting blocks with a newer pickle protocol.

Whoosh pickles each block of 128 postings (ids, weights, values) with protocol 2, which has no
opcode for bytes: every value (a word's positions in one article) is pickled as a call to
`_codecs.encode`, and reading a block back makes 128 such calls. On Reuters a block of `the`
took 75 us to unpickle with protocol 2 and 10 us with protocol 5; reading the blocks is most of
a search for common words. Readers are unchanged: `pickle.loads` reads any protocol. The bytes
written are otherwise Whoosh's own (the method below is W3PostingsWriter._write_block with only
the protocol changed).

This class is pickled into the index's table of contents with each segment, so it lives in a
module that imports nothing but the codec Whoosh's reader loads anyway.
"""

from __future__ import annotations

import heapq
import io
import os
import pickle
import struct
import sys
import weakref
import zlib
from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Hashable
from itertools import accumulate, compress, islice
from operator import or_, sub
from pickle import dumps

import whoosh
from whoosh.analysis import CompositeAnalyzer, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3PostingsWriter, W3TermInfo,
    _lenfield,
)
from whoosh.system import pack_ushort
from whoosh.fields import ID, FieldType
from whoosh.formats import Format, Positions
from whoosh.filedb.filestore import FileStorage
from whoosh.matching.wrappers import FilterMatcher
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter
from whoosh.util import random_name

from explorer.errors import UserError
from explorer.index.positions import bit_positions, sparse_positions, whole_words

WHOOSH_VERSION = (2, 7, 5)
if tuple(whoosh.__version__[:3]) != WHOOSH_VERSION:
    raise UserError(
        f"news-explorer needs Whoosh {'.'.join(map(str, WHOOSH_VERSION))} (whoosh-reloaded), "
        f"found {whoosh.versionstring()}: reinstall with 'pip install -e .'")

_MEMO_LIMIT = 500_000
_INDEXED_LIMIT = 20_000     # values remembered per field by IndexWriter._indexed


# -- reading: the W3 codec's posting blocks and field length columns (explorer/search/ranking.py)

def bm25_parameters(weighting) -> tuple[float, float] | None:
    """(K1, B) of a plain BM25F weighting (no per-field B), else None."""
    from whoosh.scoring import BM25F

    if type(weighting) is BM25F and not weighting._field_B:
        return weighting.K1, weighting.B
    return None


def expanded_words(node, reader):
    """The indexed words a prefix, wildcard or fuzzy query node stands for in this reader."""
    return node._btexts(reader)


def stem(stem_filter, word: str) -> str:
    """A StemFilter's stem of one word, without Whoosh's Token pipeline."""
    return stem_filter._stem(word)


def length_codes(leaf, fieldname: str) -> bytes:
    """The byte-coded length of the field in every document of a leaf, read in one go (the
    column's own iterator reads a byte per call, 50 ms a field on Reuters)."""
    return _length_codes(leaf._perdoc, fieldname, leaf.doc_count_all())


def _length_codes(perdoc, fieldname: str, count: int) -> bytes:
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return bytes(count)
    if column._fixedlen != 1:
        return bytes(column[docnum] for docnum in range(count))
    stored = column._count           # documents after the last non-zero length are not stored
    return column._dbfile.get(column._basepos, stored) + bytes(max(0, count - stored))


def posting_blocks(leaf, fieldname: str, btext: bytes, values: bool = False,
            wanted: list[int] | None = None):
    """(document numbers, weights, values or None) of a term's postings in a leaf, block by
    block. A block's values come out of the same unpickling as its ids and weights. With
    `wanted` (sorted leaf document numbers), blocks whose range holds none of them are skipped
    unread: a block's header gives its last document number."""
    matcher = leaf.postings(fieldname, btext)
    if isinstance(matcher, FilterMatcher):      # deletions: the caller skips them itself
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        yield from _leaf_blocks(matcher, values, wanted)
        return
    ids, weights, data = [], [], []     # a short posting list kept inline in the term's entry
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values:
            data.append(matcher.value())
        matcher.next()
    yield ids, weights, (data if values else None)



_BLOCK_LENGTH = struct.Struct("!i")     # a block's length, as Whoosh writes it (`write_int`)


def _leaf_blocks(matcher: W3LeafMatcher, values: bool, wanted: list[int] | None):
    """posting_blocks() of a term whose postings are in blocks. The term's postings are read
    from the file at once (one read, freed when the term is done: 1.7 MB for `the` at 100k,
    which is the largest), then cut into blocks. Whoosh's matcher reads each block's header
    from the file a few bytes at a time (about twenty seeks and reads through the compound
    file's sub-file, a block) and its data with one more: at 100k, reading the 780 blocks of
    `the` made thousands of system calls, which took longer than unpickling the blocks. The
    bytes are Whoosh's (W3LeafMatcher._goto, _read_data, _read_ids, _read_weights,
    _read_values)."""
    start, size = matcher._startoffset, matcher._length
    if isinstance(size, tuple):         # W3TermInfo.from_bytes keeps struct.unpack's tuple
        size = size[0]
    postings = matcher._postfile.get(start, size)
    view = memoryview(postings)
    stream = io.BytesIO(postings)
    fixedsize = matcher._fixedsize
    byteids = matcher._byteids
    position = matcher._baseoffset - start
    after = -1           # the last document number of the block before
    while True:
        length = _BLOCK_LENGTH.unpack_from(postings, position)[0]
        last = length < 0               # negative: the last block
        end = position + _INT_SIZE + (-length if last else length)
        stream.seek(position + _INT_SIZE)
        count, maxid, _, compression, _, _ = pickle.load(stream)
        if wanted is not None:
            at = bisect_right(wanted, after)
            after = maxid
            if at == len(wanted):
                return
            if wanted[at] > maxid:
                if last:
                    return
                position = end
                continue
        data = view[stream.tell():end]
        if compression:
            data = zlib.decompress(data)
        ids, weights, found = pickle.loads(data)
        if not byteids:
            ids = list(accumulate(ids))
        if weights is None:             # all 1.0, or all the same: as Whoosh reads them
            weights = array("f", (1.0,)) * count
        elif isinstance(weights, float):
            weights = array("f", (weights,)) * count
        if not values:
            found = None
        elif fixedsize == 0:
            found = (None,) * count
        elif fixedsize is not None and fixedsize > 0:
            found = tuple(found[i:i + fixedsize] for i in range(0, len(found), fixedsize))
        yield ids, weights, found
        if last:
            return
        position = end


# -- writing: the segment writer, posting pool and codec (explorer/index/build.py) ---------

def open_writer(ix) -> SegmentWriter:
    """A writer for the index, writing what the indexer writes (for changes made elsewhere,
    such as re-tagging articles)."""
    return IndexWriter(ix)


class IndexWriter(SegmentWriter):
    """Whoosh's writer with a faster path for a document's postings and for the segment.

    - add_document: Whoosh's own loop (same fields, same order, same stored values, lengths
      and columns), but a field's postings go to the pool in one call instead of one generator
      step and one tuple per posting, and a PositionBits field's postings come from one pass
      over its text (PositionBits.analyzed) instead of a generator chain; a pair field (WordPairs)
      reuses that analysis of the same text.
    - The pool (_TermPool) keeps the postings grouped by term in columns: no tuple per posting,
      no sorting of millions of tuples, and a spill to disk pickles a term at a time.
    - At commit the postings are written a block (128 postings) at a time (_write_terms), and
      the field lengths are read once per document instead of once per posting; a term with
      one posting is written in its term entry (BlockCodec's inline postings).
    The segment's bytes are Whoosh's own (tests/test_schema.py compares them with
    SegmentWriter's). A schema with term vectors or a separate spelling field takes Whoosh's
    add_document unchanged.
    """

    def __init__(self, ix, limitmb: int = 256, part: int | None = None):
        # zlib level 1 for posting blocks (Whoosh's default is 3): 1% larger, compressed faster;
        # readers take the level from each block. Blocks pickled with protocol 5: codec.py.
        # A `part` writer writes one segment of a large write (explorer/index/parallel.py)
        # beside the writer holding the lock, with temporary files of its own.
        super().__init__(ix, limitmb=limitmb, codec=BlockCodec(compression=1),
                         _lk=part is None)
        if part is not None:
            self._tempstorage = part_storage(self, part)
        self.pool = _TermPool(self._tempstorage, limitmb=limitmb)
        self._plain = not any(field.vector or field.separate_spelling()
                              for _, field in self.schema.items())
        # Fields whose values repeat across documents (a source, a day, entity lists): their
        # postings are remembered by value, at most _INDEXED_LIMIT values a field.
        # (Not a pair field: its postings depend on the text's words, and texts rarely repeat.)
        self._repeating = {name for name, field in self.schema.items()
                           if field.indexed and not isinstance(field, (ID, WordPairs))}
        self._seen: dict[str, dict] = {name: {} for name in self._repeating}

    def _indexed(self, fieldname, field, value) -> list:
        """field.index(value) as a list (what Whoosh's own writer adds), remembered by value."""
        seen = self._seen[fieldname]
        key = (type(value), value)          # 1 and 1.0 and True are different values here
        try:
            items = seen.get(key)
        except TypeError:                   # a tuple holding a list: not remembered
            return list(field.index(value))
        if items is None:
            if len(seen) >= _INDEXED_LIMIT:
                seen.clear()
            items = seen[key] = list(field.index(value))
        return items

    def add_document(self, **fields):
        if not self._plain:
            return super().add_document(**fields)
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        add_field = self.pool.add_field
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields.keys() if not name.startswith("_")])
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        analyzed = {}       # a PositionBits field's (text, its analysis), for its pair field
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    items = None
                    fmt = field.format
                    if isinstance(fmt, PositionBits):
                        found = fmt.analyzed(value, field.analyzer)
                        if found is not None:
                            analyzed[fieldname] = (value, found)
                            items = fmt.postings_of(found[1])
                    elif isinstance(field, WordPairs):
                        # The source field's words (its name sorts first: analysed already).
                        source = analyzed.get(field.source)
                        if source is not None and (source[0] is value or source[0] == value) \
                                and field.analyzer is schema[field.source].analyzer:
                            items = fmt.pair_postings(*source[1])
                        else:
                            items = list(field.index(value))
                    elif fieldname in self._repeating and isinstance(value, Hashable):
                        items = self._indexed(fieldname, field, value)
                    if items is None:
                        items = field.index(value)
                    length = add_field(fieldname, docnum, items, fieldboost)
                    if not field.scorable:
                        length = 0
                customval = fields.get("_stored_%s" % fieldname, value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None,
                                       length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column,
                                                  field.to_column_value(customval))
        except Exception as ex:
            perdocwriter.cancel_doc()
            raise ex
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def per_document_reader(self):
        return _CachedLengths(super().per_document_reader())

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        _write_terms(self.fieldwriter, self.schema, lengths, self.pool.iter_terms())
        self.fieldwriter.close()
        if lengths is not None:
            lengths.close()


def _write_terms(fieldwriter, schema, lengths, fields) -> None:
    """FieldWriter.add_postings for postings grouped by term: each block of a term's postings
    (W3's block limit, 128) is set up at once and written by the codec's _write_block, as
    Whoosh's W3PostingsWriter.add_posting would have filled it one posting at a time; the
    term's entry is what W3FieldWriter.start_term/finish_term would write, without their
    per-term calls (most terms have one block: the per-term cost is most of the commit)."""
    postfile = fieldwriter._postfile
    tell = postfile.tell
    for fieldname, terms in fields:
        fieldwriter.start_field(fieldname, schema[fieldname])
        field_lengths = lengths.field_lengths(fieldname) if lengths is not None else None
        writer = fieldwriter._postwriter
        writer._format = fieldwriter._format
        limit = writer._blocklimit
        add_term = fieldwriter._tindex.add
        prefix = pack_ushort(fieldwriter._fieldid)
        inline = writer._inlinelimit
        for btext, ids, weights, values in terms:
            terminfo = writer._terminfo = W3TermInfo()
            writer._blockcount = 0
            start = writer._startoffset = tell()
            count = len(ids)
            if count < inline:       # what _BlockWriter.finish_postings keeps in the entry
                _buffer(writer, ids, weights, values, field_lengths)
                terminfo.add_block(writer)
                terminfo.set_inlined(writer._ids, writer._weights, writer._values)
                writer._terminfo = None
                add_term(prefix + btext, terminfo.to_bytes())
                continue
            for first in range(0, count, limit):
                last = first + limit
                if count > limit:
                    _buffer(writer, ids[first:last], weights[first:last], values[first:last],
                            field_lengths)
                else:
                    _buffer(writer, ids, weights, values, field_lengths)
                writer._write_block(last=last >= count)
            terminfo.set_extent(start, tell() - start)
            writer._terminfo = None
            add_term(prefix + btext, terminfo.to_bytes())
        fieldwriter.finish_field()


def _buffer(writer, ids, weights, values, field_lengths) -> None:
    """Set up the writer's buffered block as W3PostingsWriter.add_posting would have, a
    posting at a time (the values it keeps are the non-empty ones)."""
    writer._ids = ids
    writer._weights = array("f", weights)
    writer._maxweight = max(0, max(weights))
    writer._values = [v for v in values if v]
    if field_lengths is not None:
        found = [n for n in map(field_lengths.__getitem__, ids) if n]
        writer._minlength = min(found) if found else None
        writer._maxlength = max(found) if found else 0
    else:
        writer._minlength, writer._maxlength = None, 0


class _TermPool:
    """The postings of a segment being written, grouped by field and term, in columns
    (document numbers, weights, values), in the order they were added (document order).

    Memory is bounded (`limitmb`): the size is estimated at POSTING_BYTES a posting plus its
    value, and TERM_BYTES a term; past the limit the terms are written sorted to a run file in
    the temporary storage, a term at a time, and the runs are merged term by term at the end
    (a term's postings from a later run follow those of an earlier one: documents only grow).
    Replaces Whoosh's PostingPool, which keeps a tuple per posting and sorts them all."""

    POSTING_BYTES = 60      # 4 (id) + 8 (weight) + 8 (list slot) + ~40 (the value's object)
    TERM_BYTES = 400        # the dict entry, the term's bytes, three containers

    def __init__(self, tempstore, limitmb: int = 128):
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.fieldnames: set[str] = set()
        self.runs: list[str] = []
        self._fields: dict[str, dict[bytes, tuple]] = {}
        self._unsorted = False

    def add_field(self, fieldname: str, docnum: int, items, fieldboost: float) -> int:
        """Add one document's postings in one field: (btext, frequency, weight, value) items.
        Returns the sum of the frequencies (the field's length in the document)."""
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
        length = 0
        size = 0
        count = 0
        get = terms.get
        for btext, freq, weight, value in items:
            entry = get(btext)
            if entry is None:
                entry = terms[btext] = (array("I"), array("d"), [])
                size += self.TERM_BYTES + len(btext)
            entry[0].append(docnum)
            entry[1].append(weight * fieldboost)
            entry[2].append(value)
            length += freq
            count += 1
            if value:
                size += len(value)
        if count:
            self.fieldnames.add(fieldname)
        self.size += size + self.POSTING_BYTES * count
        if self.size > self.limit:
            self.save()
        return length

    def add(self, item):
        """One posting (fieldname, btext, docnum, weight, value): what Whoosh adds when it
        merges a segment into this one."""
        fieldname, btext, docnum, weight, value = item
        if docnum == -1:      # Whoosh's marker for spelling words: not postings
            self.fieldnames.add(fieldname)
            return
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        entry = terms.get(btext)
        if entry is None:
            entry = terms[btext] = (array("I"), array("d"), [])
            self.size += self.TERM_BYTES + len(btext)
        elif entry[0][-1] >= docnum:
            self._unsorted = True
        entry[0].append(docnum)
        entry[1].append(weight)
        entry[2].append(value)
        self.size += self.POSTING_BYTES + (len(value) if value else 0)
        if self.size > self.limit:
            self.save()

    def save(self) -> None:
        """Write the terms held in memory to a run file, sorted, and start afresh."""
        if not any(self._fields.values()):
            return
        name = f"{random_name()}.run"
        f = self.tempstore.create_file(name).raw_file()
        try:
            # One pickle a term, without a memo: a repeated value (a one-byte value is a
            # shared object) is written out each time, so each term reads back on its own.
            pickler = pickle.Pickler(f, pickle.HIGHEST_PROTOCOL)
            pickler.fast = True
            for fieldname, terms in self._sorted_fields():
                for btext, ids, weights, values in terms:
                    pickler.dump((fieldname, btext, ids.tobytes(), weights.tobytes(), values))
        finally:
            f.close()
        self.runs.append(name)
        self._fields = {}
        self.size = 0

    def _sorted_fields(self):
        """(fieldname, [(btext, ids, weights, values)] sorted by btext), fields sorted."""
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            if terms:
                yield fieldname, [(btext, *self._in_order(*terms[btext]))
                                  for btext in sorted(terms)]

    def _in_order(self, ids, weights, values):
        if self._unsorted and any(a >= b for a, b in zip(ids, ids[1:])):
            order = sorted(range(len(ids)), key=ids.__getitem__)
            ids = array("I", [ids[n] for n in order])
            weights = array("d", [weights[n] for n in order])
            values = [values[n] for n in order]
        return ids, weights, values

    def _read_run(self, name):
        f = self.tempstore.open_file(name).raw_file()
        try:
            while True:
                try:
                    fieldname, btext, ids, weights, values = pickle.load(f)
                except EOFError:
                    break
                found = array("I")
                found.frombytes(ids)
                found_weights = array("d")
                found_weights.frombytes(weights)
                yield fieldname, btext, found, found_weights, values
        finally:
            f.close()

    def iter_terms(self):
        """(fieldname, iterable of (btext, ids, weights, values) in term order), in field name
        order: every field that had postings (or spelling words) added."""
        if not self.runs:
            for fieldname in sorted(self.fieldnames):
                terms = self._fields.get(fieldname)
                yield fieldname, [(btext, *self._in_order(*terms[btext]))
                                  for btext in sorted(terms)] if terms else []
            return
        self.save()
        rows = heapq.merge(*[self._read_run(name) for name in self.runs],
                           key=lambda row: (row[0], row[1]))
        pending = next(rows, None)

        def terms(fieldname):
            nonlocal pending
            while pending is not None and pending[0] == fieldname:
                _, btext, ids, weights, values = pending
                pending = next(rows, None)
                while pending is not None and pending[0] == fieldname and pending[1] == btext:
                    ids.extend(pending[2])      # a later run: later documents
                    weights.extend(pending[3])
                    values.extend(pending[4])
                    pending = next(rows, None)
                yield btext, *self._in_order(ids, weights, values)

        for fieldname in sorted(self.fieldnames):
            yield fieldname, terms(fieldname)
        self.cleanup()

    def cleanup(self) -> None:
        """Delete the run files (a cancelled writer, or once merged)."""
        for name in self.runs:
            try:
                self.tempstore.delete_file(name)
            except OSError:
                pass
        self.runs = []


_DECODED_LENGTHS = [None] + [byte_to_length(code) for code in range(1, 256)]


class _CachedLengths:
    def __init__(self, reader):
        self._reader = reader
        self._lengths: dict[str, list] = {}

    def field_lengths(self, fieldname) -> list:
        """The field's length in every document, by document number."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            # What doc_field_length gives for each document (None for no length), from the
            # column's bytes read at once.
            codes = _length_codes(self._reader, fieldname, self._reader.doc_count_all())
            lengths = self._lengths[fieldname] = list(map(_DECODED_LENGTHS.__getitem__, codes))
        return lengths

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self.field_lengths(fieldname)
        return lengths[docnum] if docnum < len(lengths) else default

    def __getattr__(self, name):
        return getattr(self._reader, name)


BLOCK_PROTOCOL = 5
# Half the blocks of an index hold a term's few postings in under 64 bytes. zlib saves them
# nothing (under 32 bytes it adds its header and checksum: BBC's 19,000 such blocks came out
# 26 KB larger; the 10,000 of 32-63 bytes 40 KB smaller, 0.3% of the index), and each call
# costs more than the rest of writing the block (zlib sets up its state every time).
SMALL_BLOCK = 64
# About half the terms of an index have one posting (ids, paths, words seen once). Such a term
# is kept inside its entry in the term table (Whoosh's inlined postings), which saves writing
# and reading a block of its own. Whoosh's own `inlinelimit` is 1, which inlines nothing
# (fewer than 1 posting).
INLINE_LIMIT = 2


def open_index(index_dir):
    """The Whoosh index in a folder, its segment files read through ordinary file handles.

    Whoosh's default maps each compound segment file into memory and then wraps every sub-file
    in `BytesIO(memoryview)` (filedb/structfile.py: BufferFile), which copies the whole
    sub-file onto the heap: a search process held the entire index (653 MB at 100k articles).
    Without mmap the sub-files are read a block at a time, so memory follows what is read.
    """
    return FileStorage(str(index_dir), supports_mmap=False).open_index()


class BlockCodec(W3Codec):
    """W3Codec whose posting blocks are pickled with protocol 5, whose blocks of fewer than
    SMALL_BLOCK bytes are not compressed (each block says whether it is: Whoosh's readers and
    ours decompress by that), and whose terms with a single posting keep it in their entry
    in the term table (INLINE_LIMIT) instead of a block of its own."""

    def __init__(self, blocklimit=128, compression=3, inlinelimit=INLINE_LIMIT):
        super().__init__(blocklimit=blocklimit, compression=compression,
                         inlinelimit=inlinelimit)

    def postings_writer(self, dbfile, byteids=False):
        return _BlockWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                            compression=self._compression, inlinelimit=self._inlinelimit)


class _BlockWriter(W3PostingsWriter):
    def finish_postings(self):
        """W3PostingsWriter.finish_postings, whose inline branch calls `set_inline`, which
        W3TermInfo does not have (it has `set_inlined`): with Whoosh's `inlinelimit` of 1 the
        branch is never taken, and with more it raised AttributeError."""
        terminfo = self._terminfo
        if not self.written() and len(self) < self._inlinelimit:
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()

    def _write_block(self, last=False):
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = (self._mini_ids(), self._mini_weights(), self._mini_values())
        databytes = _block_bytes(data)
        comp = self._compression if len(databytes) >= SMALL_BLOCK else 0
        if comp:
            databytes = zlib.compress(databytes, comp)
        ids = self._ids
        infobytes = dumps((len(ids), ids[-1], self._maxweight, comp,
                           length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        length = len(infobytes) + len(databytes)
        postfile = self._postfile
        postfile.write_int(-length if last else length)   # negative: the last block
        postfile.write(infobytes)
        postfile.write(databytes)
        self._blockcount += 1
        self._new_block()

    def _mini_ids(self):
        ids = self._ids
        if self._byteids:
            return tuple(ids)
        if len(ids) == 1:
            return (ids[0],)
        return (ids[0], *map(sub, ids[1:], ids))      # whoosh's delta_encode, in C

    def _mini_weights(self):
        weights = self._weights
        first = weights[0]
        if weights.count(first) == len(weights):
            return None if first == 1.0 else first
        return tuple(weights)


def _block_bytes(data: tuple) -> bytes:
    """The pickle of a block, without the memo: equal values are written out each time, so
    the bytes do not depend on which values happen to be the same object (a posting read back
    from a spilled run is a new object, a one-byte value is a shared one). Blocks are flat
    tuples: nothing for a memo to break. One pickler, in fast mode (no memo), writes each
    block as a fresh one would."""
    _BLOCK_BUFFER.seek(0)
    _BLOCK_BUFFER.truncate()
    _BLOCK_PICKLER.dump(data)
    return _BLOCK_BUFFER.getvalue()


_BLOCK_BUFFER = io.BytesIO()
_BLOCK_PICKLER = pickle.Pickler(_BLOCK_BUFFER, BLOCK_PROTOCOL)
_BLOCK_PICKLER.fast = True


# -- the format: a word's positions as bits (explorer/index/positions.py) ---------------

class PositionBits(Positions):
    """Whoosh's Positions format with a word's positions in a document written as one number,
    bit p set for position p (little-endian bytes), and computed faster.

    Phrases: Whoosh's own format pickles a list of gaps for every word of every document, and
    a phrase of two common words had to unpickle both words' lists in every document with the
    two, thousands on Reuters (one pickle call each), to keep the count of matches exact. With
    bits, `"a b"` is in a document when `(bits(a) << 1) & bits(b)` is not zero: two
    `int.from_bytes` and two big-int operations in C (explorer/search/ranking.py). The frequency is the
    number of bits set. Whoosh's own readers (proximity, highlighting) get the positions back
    as a list from `decode_positions`. Bits cost one bit per word up to the word's last
    position: a word seen once near the end of a long article would take thousands of bytes,
    and a book-length text gigabytes while it is indexed. So a word whose bits would take more
    bytes than its positions as 4-byte numbers is written that way instead, with a zero byte
    after them; bits never end with a zero byte (the last byte holds the last position).

    Speed: Whoosh runs every word through a chain of generators and builds a Token object for
    it: most of the time spent indexing. When the analyzer is a regex tokenizer followed only by
    filters that look at one word at a time (lowercase, stem), the indexed form of a word never
    depends on its neighbours, so each distinct word is analyzed once and remembered; positions
    are then the word's rank in the text. Any other analyzer takes Whoosh's own path (with
    these bits).
    """

    def word_values(self, value, analyzer, **kwargs):
        found = self._word_terms(analyzer)
        if found is None or not isinstance(value, str) or kwargs.get("mode") == "query":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for term, found_at in _term_positions(found, analyzer, value).items():
            yield term, len(found_at), len(found_at) * boost, self.encode(found_at)

    def analyzed(self, value, analyzer) -> tuple[list[str], dict[str, list[int]]] | None:
        """(the terms of `value` in order, each term's positions) on the fast path of
        word_values; None when that path does not apply."""
        found = self._word_terms(analyzer)
        if found is None or not isinstance(value, str):
            return None
        terms = _term_sequence(found, analyzer, value)
        return terms, _positions_of(terms)

    def postings_of(self, positions: dict[str, list[int]]) -> list:
        """What Whoosh's field.index gives for the text (utf-8 term, frequency, weight,
        value), as a list, from analyzed()'s positions."""
        boost = self.field_boost
        encode = self.encode
        return [(term.encode("utf-8"), len(found_at), len(found_at) * boost, encode(found_at))
                for term, found_at in positions.items()]

    def encode(self, poslist):
        size = poslist[-1] // 8 + 1 if poslist else 0
        if size > 4 * len(poslist):            # sparse: the positions, then a zero byte
            numbers = array("I", poslist)
            if sys.byteorder == "big":
                numbers.byteswap()
            return numbers.tobytes() + b"\0"
        bits = bytearray(size)
        for position in poslist:
            bits[position >> 3] |= 1 << (position & 7)
        return bytes(bits)

    def decode_positions(self, valuestring):
        if valuestring and not valuestring[-1]:
            return sparse_positions(valuestring).tolist()
        return bit_positions(int.from_bytes(valuestring, "little"))

    def decode_frequency(self, valuestring):
        if valuestring and not valuestring[-1]:
            return (len(valuestring) - 1) // 4
        return int.from_bytes(valuestring, "little").bit_count()

    def _word_terms(self, analyzer):
        return _fast_words(analyzer)


def _fast_words(analyzer):
    """(findall expression, memo of word -> indexed term) for a word-local analyzer."""
    key = id(analyzer)
    try:
        return _WORD_TERMS[key]
    except KeyError:
        pass
    found = _WORD_TERMS[key] = _word_local(analyzer)
    # Kept beside the analyzer, not in it (the schema is pickled into the index), and
    # dropped with it, so a later analyzer at the same address starts afresh.
    weakref.finalize(analyzer, _WORD_TERMS.pop, key, None)
    return found


def _term_positions(found: tuple, analyzer, value: str) -> dict[str, list[int]]:
    """Each term of `value` with its word positions, through the fast path's (expression,
    memo): each distinct word analyzed once."""
    return _positions_of(_term_sequence(found, analyzer, value))


def _term_sequence(found: tuple, analyzer, value: str) -> list[str]:
    """The terms of `value` in order (a term's position is its rank), through the fast path's
    (expression, memo)."""
    expression, memo = found
    words = expression.findall(value)
    terms = list(map(memo.get, words))          # the C loop; unseen words come back None
    if None in terms:
        terms = [term if term is not None else _analyze_word(analyzer, memo, word)
                 for word, term in zip(words, terms)]
    return terms


def _positions_of(terms: list[str]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = defaultdict(list)
    for position, term in enumerate(terms):
        positions[term].append(position)
    return positions


_WORD_TERMS: dict[int, tuple | None] = {}


# -- the pair field: adjacent words where one is common (explorer/index/schema.py) ----------

PAIR_SEPARATOR = " "            # no term holds a space: the tokenizer's words are \w+(\.\w+)*
PAIR_VALUE = struct.Struct("<ff")   # the two words' weights in the document, as float32


class PairWeights(Format):
    """The postings of a pair field: one term per distinct pair of adjacent terms of the
    source field (`a b`, positions p and p + 1) where `a` or `b` is in `common`; a document's
    value is the two terms' weights in the source field (frequency x the source's format boost,
    float32, as the source's posting blocks hold them), so a phrase of the two words is
    answered and scored from the pair's postings alone (explorer/search/ranking.py). Each
    posting's own weight is 1.0 (the document has the pair)."""

    posting_size = PAIR_VALUE.size

    def __init__(self, common=frozenset(), source_boost: float = 1.0):
        super().__init__()
        self.common = frozenset(common)
        self.source_boost = source_boost

    def word_values(self, value, analyzer, **kwargs):
        found = _fast_words(analyzer)
        if found is not None and isinstance(value, str):
            terms = _term_sequence(found, analyzer, value)
        else:               # Whoosh's own tokens: positions as the analyzer numbers them
            kwargs.pop("positions", None)
            at = {token.pos: token.text
                  for token in analyzer(value, positions=True, **kwargs)}
            terms = [at.get(position) for position in range(max(at) + 1)] if at else []
        counts = Counter(terms)
        boost = self.source_boost
        pack = PAIR_VALUE.pack
        for first, second in self._pairs(terms):
            if first is not None and second is not None:
                yield (first + PAIR_SEPARATOR + second, 1, 1.0,
                       pack(counts[first] * boost, counts[second] * boost))

    def pair_postings(self, terms: list[str], positions: dict[str, list[int]]) -> list:
        """What word_values gives (as field.index does: utf-8 terms), from the source field's
        analysis of the same text (PositionBits.analyzed)."""
        boost = self.source_boost
        pack = PAIR_VALUE.pack
        return [((first + PAIR_SEPARATOR + second).encode("utf-8"), 1, 1.0,
                 pack(len(positions[first]) * boost, len(positions[second]) * boost))
                for first, second in self._pairs(terms)]

    def _pairs(self, terms: list) -> set[tuple[str, str]]:
        """The distinct (term, next term) with a common one, in C loops."""
        common = list(map(self.common.__contains__, terms))
        wanted = list(map(or_, common, islice(common, 1, None)))
        return set(compress(zip(terms, islice(terms, 1, None)), wanted))


class WordPairs(FieldType):
    """An indexed field of adjacent word pairs of another field (`source`), analysed with that
    field's analyzer (PairWeights). Not stored, not scored (no lengths), not for the query
    parser: the ranker reads it for phrases of the source field."""

    def __init__(self, source: str, analyzer, common, source_boost: float = 1.0):
        super().__init__(PairWeights(common, source_boost), analyzer)
        self.source = source

    def pair_text(self, first: str, second: str) -> str:
        return first + PAIR_SEPARATOR + second

    def pairs(self, words) -> list[int]:
        """The i where the words i and i + 1 (terms of the source field) are an indexed pair."""
        common = self.format.common
        return [i for i in range(len(words) - 1) if words[i] in common or words[i + 1] in common]


def _word_local(analyzer):
    if isinstance(analyzer, CompositeAnalyzer) and isinstance(analyzer.items[0], RegexTokenizer) \
            and not analyzer.items[0].gaps \
            and all(type(item) in (LowercaseFilter, StemFilter) for item in analyzer.items[1:]):
        return whole_words(analyzer.items[0].expression), {}
    return None


def word_local(analyzer) -> bool:
    """Whether the analyzer is a regex tokenizer followed only by lowercase and stem filters,
    so that `analyze_word` gives what it gives for one word."""
    return _word_local(analyzer) is not None


def analyze_word(analyzer, word: str) -> str:
    """The indexed form of one word (one token of the tokenizer) under a word-local analyzer:
    its filters applied directly, without Whoosh's Token pipeline."""
    term = word
    for item in analyzer.items[1:]:          # only LowercaseFilter and StemFilter get here
        if isinstance(item, LowercaseFilter):
            term = term.lower()
        elif term not in item.ignore:
            term = stem(item, term)
    return term


def _analyze_word(analyzer, memo: dict, word: str) -> str:
    term = analyze_word(analyzer, word)
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    memo[word] = term
    return term




# ---- replacing an index without ever leaving none ----------------------------------------------
# Imported when writing only (readers unpickle BlockCodec from this module: keep its top light).

def replacement_ix(index_dir, schema):
    """The index in `index_dir` seen as empty at its latest generation, with `schema`: a writer
    on it (committed with `commit_writer(writer, replace=True)`) writes the next generation
    holding only what it added, while the old generation serves readers until that commit.
    The old table of contents is never read: a rebuild works when it is from an older schema
    or unreadable."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC, FileIndex

    class _Replacement(FileIndex):
        def __init__(self, storage, generation):
            self.storage, self._schema, self.indexname = storage, schema, "MAIN"
            self._generation = generation

        def _read_toc(self):
            return TOC(self._schema, [], self._generation)

    storage = FileStorage(str(index_dir))
    return _Replacement(storage, TOC._latest_generation(storage, "MAIN"))


def commit_writer(writer, *, replace: bool, parts: list = ()) -> None:
    """Commit: the new generation replaces every old segment (`replace`, for a rebuild) or is
    merged with the small ones, as Whoosh does by default; then the `parts` segments written
    beside it (explorer/index/parallel.py), in order."""
    from whoosh.writing import CLEAR

    if parts:
        commit_with_parts(writer, list(parts), replace=replace)
    elif replace:
        writer.commit(mergetype=CLEAR)
    else:
        writer.commit(optimize=False)


def cancel_quietly(writer) -> None:
    """Cancel a writer after a failure (its own clean-up may fail the same way: a full disk)."""
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - the first error is the one reported
        lock = getattr(writer, "writelock", None)
        try:
            if lock is not None:
                lock.release()
        except Exception:  # noqa: BLE001
            pass


def clean_orphans(index_dir) -> None:
    """Delete segment files no generation uses (left by a writer that was killed or failed),
    as Whoosh does after each commit. Call it holding the writer lock."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC, clean_files

    storage = FileStorage(str(index_dir))
    try:
        toc = TOC.read(storage, "MAIN")
    except Exception:  # noqa: BLE001 - no index, or one an older version wrote: nothing to do
        return
    clean_files(storage, "MAIN", toc.generation, toc.segments)


# -- a write in parts (explorer/index/parallel.py) ------------------------------------------------
def part_storage(writer, part: int):
    """Temporary storage of its own for a writer of one part of a write: Whoosh gives every
    writer of an index the same `<name>.tmp` folder, which the first to finish deletes."""
    return writer.storage.temp_storage(f"{writer.indexname}.part{part}.{os.getpid()}.tmp")


def finish_part(writer):
    """Write a part writer's segment and return it (Whoosh's Segment, picklable), without
    touching the index's table of contents: the writer holding the lock adds it."""
    segment = writer._finalize_segment()
    writer._tempstorage.destroy()
    writer.is_closed = True
    return segment


def cancel_part(writer) -> None:
    """Drop a part writer's files (its segment never reaches the table of contents)."""
    try:
        writer._close_segment()
    finally:
        writer._tempstorage.destroy()
        writer.is_closed = True


def commit_with_parts(writer, segments: list, *, replace: bool = False) -> None:
    """Commit `writer` (its deletions, Whoosh's usual merge of small segments, or none of the
    old segments when it `replace`s them) with the part segments after its own, in order:
    what `commit_writer` does, plus them."""
    writer._check_state()
    final = [] if replace else writer._merge_segments(None, False, None)
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    final.extend(segments)
    writer._commit_toc(final)
    writer._finish()


# -- the words of a field, read in bulk ------------------------------------------------------------
_KEY_LENGTHS = struct.Struct("!ii")     # whoosh.filedb.filetables: a record's key and value sizes
_WORDS_CHUNK = 1 << 20


def field_words(reader, fieldname: str) -> set[bytes]:
    """Every word (as bytes) of a field, in any segment: what `reader.lexicon(fieldname)`
    gives, read from each segment's term table a megabyte at a time. Whoosh's lexicon reads
    two small pieces of the file per word (through the compound file, as the index is opened
    without mmap): a did-you-mean over Reuters' 60,000 words took 0.5 s of a one-shot search
    and grows with the index; here the records are cut out of 1 MB reads.
    tests/test_search.py checks the words are the lexicon's."""
    found: set[bytes] = set()
    for leaf, _ in reader.leaf_readers():
        terms = leaf._terms                       # W3TermsReader
        number = terms._fieldmap.get(fieldname)
        if number is None:
            continue
        table = terms._tindex                     # OrderedHashReader: (key, value) records
        prefix = pack_ushort(number)
        start = table.closest_key_pos(prefix)
        if start is None:
            continue
        found.update(_words_from(table.dbfile, start, table.endofdata, prefix))
    return found


def _words_from(dbfile, pos: int, end: int, prefix: bytes):
    size = _KEY_LENGTHS.size
    unpack = _KEY_LENGTHS.unpack_from
    buffer, base = b"", pos              # buffer holds the file from `base`
    while pos < end:
        offset = pos - base
        if offset + size > len(buffer):
            buffer, base, offset = dbfile.get(pos, min(_WORDS_CHUNK, end - pos)), pos, 0
        keylen, datalen = unpack(buffer, offset)
        if offset + size + keylen > len(buffer):
            buffer = dbfile.get(pos, min(max(_WORDS_CHUNK, size + keylen), end - pos))
            base, offset = pos, 0
        key = buffer[offset + size:offset + size + keylen]
        if key[:2] != prefix:
            return                        # the next field's words: sorted by field number
        yield key[2:]
        pos += size + keylen + datalen
