"""Whoosh 2.7.5's W3 codec, writing posting blocks with a newer pickle protocol.

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

import io
import pickle
import zlib
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3PostingsWriter
from whoosh.util.numeric import length_to_byte

BLOCK_PROTOCOL = 5


class BlockCodec(W3Codec):
    """W3Codec whose posting blocks are pickled with protocol 5."""

    def postings_writer(self, dbfile, byteids=False):
        return _BlockWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                            compression=self._compression, inlinelimit=self._inlinelimit)


class _BlockWriter(W3PostingsWriter):
    def _write_block(self, last=False):
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = (self._mini_ids(), self._mini_weights(), self._mini_values())
        databytes = _block_bytes(data)
        comp = self._compression
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


def _block_bytes(data: tuple) -> bytes:
    """The pickle of a block, without the memo: equal values are written out each time, so
    the bytes do not depend on which values happen to be the same object (a posting read back
    from a spilled run is a new object). Blocks are flat tuples: nothing for a memo to break."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, BLOCK_PROTOCOL)
    pickler.fast = True
    pickler.dump(data)
    return buffer.getvalue()
