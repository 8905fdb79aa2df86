"""BagIt bags (RFC 8493): writing one, zipping it, opening one safely and verifying it.

A bag is a folder::

  BAG/
    bagit.txt               "BagIt-Version: 1.0" and "Tag-File-Character-Encoding: UTF-8"
    bag-info.txt            Source-Organization, Bagging-Date, Payload-Oxum…
    manifest-sha256.txt     the SHA-256 of every payload file
    tagmanifest-sha256.txt  the SHA-256 of every other file above
    data/…                  the payload

Anyone can check a bag with their own tools (``sha256sum -c manifest-sha256.txt`` inside it, or the
Library of Congress ``bagit`` programs); reviewer does not ask to be trusted. A bag that arrives from
elsewhere is hostile until shown otherwise: :func:`open_bag` refuses paths that climb out of the
bag, links, special files and zip bombs before anything is written, and :func:`verify_bag` lists
what does not add up in plain words.

Only the standard library is used, so the checks are easy to audit. The parts, each in its module:
:mod:`~reviewer.core.bundles.bag_names` (fixed names, limits, safe names),
:mod:`~reviewer.core.bundles.bag_writer` (writing and zipping),
:mod:`~reviewer.core.bundles.bag_open` (opening a bag from elsewhere safely) and
:mod:`~reviewer.core.bundles.bag_verify` (verifying); this module names what callers use.
"""

from __future__ import annotations

from reviewer.core.bundles.bag_names import (
    BAG_INFO,
    BAGIT_TXT,
    BAGIT_VERSION,
    CHUNK,
    PAYLOAD_DIR,
    STORED_SUFFIXES,
    BagError,
    BagLimits,
    decode_path,
    encode_path,
)
from reviewer.core.bundles.bag_open import open_bag, read_bag_file
from reviewer.core.bundles.bag_verify import verify_bag
from reviewer.core.bundles.bag_writer import BagWriter, Copied, kernel_copy, zip_bag

__all__ = [
    "BAGIT_TXT",
    "BAGIT_VERSION",
    "BAG_INFO",
    "CHUNK",
    "PAYLOAD_DIR",
    "STORED_SUFFIXES",
    "BagError",
    "BagLimits",
    "BagWriter",
    "Copied",
    "decode_path",
    "encode_path",
    "kernel_copy",
    "open_bag",
    "read_bag_file",
    "verify_bag",
    "zip_bag",
]
