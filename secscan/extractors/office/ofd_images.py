"""OFD pictures: the images pages, templates and annotations draw, handed back as members to OCR.

A scanned 红头文件 saved as OFD is one ``ImageObject`` per page and no text at
all. An ``ImageObject`` names a ``ResourceID``; the document's resource files
(``PublicRes`` / ``DocumentRes`` in Document.xml, ``PageRes`` in a page) declare
it as a ``MultiMedia`` whose ``MediaFile`` is relative to the resource file's
``BaseLoc`` folder. A ``CompositeObject`` draws a ``CompositeGraphicUnit`` of the
resources, which may draw images in turn (the 监制章 stamp of an e-invoice).

Each picture is returned once, however many pages draw it (ofd.py also drops a
second file with the same bytes), as a member named by its package path
(``Doc_0/Res/image_0.png``), read through the same bounded
:class:`zipparts.Package` reads as the XML parts, so the pipeline OCRs it like
any image file (and, with OCR off, says it did not). A picture that cannot be
found or read is a ``SkippedPart`` naming the pages that draw it: a scan whose
image is lost must not come out clean. Producers get the folders wrong
(``DOC_0/Res`` for ``Doc_0/Res``; a ``BaseLoc`` naming a folder the image is not
in), so a missing file is also looked for in another case and then by its file
name, when exactly one member of the document's folder has it. Images that no
page draws, and the seal pictures inside signature ``.esl`` files, are not
returned.
"""

from __future__ import annotations

import posixpath
import weakref
from dataclasses import dataclass, field

from lxml import etree

from secscan.errors import CorruptFile
from secscan.extractors._common.xmlsafe import parse_xml
from secscan.extractors.office.zipparts import Package
from secscan.model import Member, SkippedPart

_DRAWS = ("{*}ImageObject", "{*}CompositeObject")
_MAX_PLACES = 3  # pages named in one SkippedPart before "and N more"
_FOLDED: weakref.WeakKeyDictionary[Package, dict[str, str]] = weakref.WeakKeyDictionary()


def locate(package: Package, base: str, loc: str) -> str | None:
    """The package member ``loc`` names, seen from file ``base``, or None.

    ``/Doc_0/…`` is from the package root, anything else from ``base``'s folder
    (then from the root and from ``base``'s document folder, as producers write
    both). A name that only differs in case is accepted when nothing matches exactly.
    """
    loc = loc.strip().replace("\\", "/")
    if not loc:
        return None
    from_root = loc.lstrip("/")
    relative = posixpath.normpath(posixpath.join(posixpath.dirname(base), loc)).lstrip("/")
    candidates = [from_root, relative] if loc.startswith("/") else [relative, from_root]
    doc_dir = base.split("/", 1)[0] if "/" in base else ""
    if doc_dir:
        candidates.append(posixpath.join(doc_dir, from_root))
    found = next((c for c in candidates if c in package), None)
    if found is None:
        folded = _folded(package)
        found = next((folded[c.lower()] for c in candidates if c.lower() in folded), None)
    return found


def _folded(package: Package) -> dict[str, str]:
    if package not in _FOLDED:
        folded: dict[str, str] = {}
        for name in package.names:
            folded.setdefault(name.lower(), name)
        _FOLDED[package] = folded
    return _FOLDED[package]


@dataclass(frozen=True)
class _Media:
    path: str | None  # the package member, None when the package lacks it
    wanted: str  # where the resource file says it is, for the reason


@dataclass
class _Resources:
    media: dict[str, _Media] = field(default_factory=dict)
    units: dict[str, etree._Element] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)  # resource files that could not be read, and why


class Pictures:
    """Collects the images one OFD document draws; ``members`` and ``skipped`` hold the outcome."""

    def __init__(self, package: Package, doc_path: str, doc: etree._Element) -> None:
        self.package = package
        self._doc_path = doc_path
        self._doc = doc
        self._doc_dir = doc_path.rsplit("/", 1)[0] + "/" if "/" in doc_path else ""
        self._shared: _Resources | None = None  # PublicRes + DocumentRes, read at the first picture
        self._res_files: dict[str, _Resources] = {}
        self._by_name: dict[str, list[str]] | None = None
        self._found: dict[str, Member] = {}
        self._failed: dict[str, str] = {}  # package path -> why it could not be read
        self._units_done: set[str] = set()
        self._unread: dict[str, list[str]] = {}  # reason -> the places that draw it

    @property
    def members(self) -> list[Member]:
        return list(self._found.values())

    @property
    def skipped(self) -> list[SkippedPart]:
        return [SkippedPart(_places(places), reason) for reason, places in self._unread.items()]

    def collect(self, root: etree._Element, path: str, where: str) -> None:
        """Note every picture that content ``root`` (the part ``path``) draws; ``where`` is "page 2"."""
        if next(root.iter(*_DRAWS), None) is None:
            return
        scope = [self._res_file(path, page_res.text or "") for page_res in root.iter("{*}PageRes")]
        scope.append(self._resources())
        pending = [root]
        while pending:
            for obj in pending.pop().iter(*_DRAWS):
                rid = (obj.get("ResourceID") or "").strip()
                if not rid:
                    continue  # an ImageObject without a resource draws nothing
                if etree.QName(obj).localname == "ImageObject":
                    self._image(rid, where, scope)
                elif rid not in self._units_done:
                    unit = next((r.units[rid] for r in scope if rid in r.units), None)
                    if unit is None:
                        self._note(_undeclared("composite graphic unit", rid, scope), where)
                    else:
                        self._units_done.add(rid)
                        pending.append(unit)

    def _image(self, rid: str, where: str, scope: list[_Resources]) -> None:
        media = next((r.media[rid] for r in scope if rid in r.media), None)
        if media is None:
            self._note(_undeclared("image resource", rid, scope), where)
        elif media.path is None:
            self._note(f"image {media.wanted} (resource {rid}) is not in the package", where)
        elif media.path in self._failed:
            self._note(self._failed[media.path], where)
        elif media.path not in self._found:
            try:
                data = self.package.read(media.path)
            except CorruptFile as exc:
                self._failed[media.path] = f"image {media.path} could not be read: {exc}"
                self._note(self._failed[media.path], where)
                return
            if data:
                self._found[media.path] = Member(media.path, data)

    def _note(self, reason: str, where: str) -> None:
        places = self._unread.setdefault(reason, [])
        if where not in places:
            places.append(where)

    def _resources(self) -> _Resources:
        """The document's PublicRes and DocumentRes files together, read when the first picture is met."""
        if self._shared is None:
            self._shared = _Resources()
            for element in self._doc.iter("{*}PublicRes", "{*}DocumentRes"):
                found = self._res_file(self._doc_path, element.text or "")
                for rid, media in found.media.items():
                    self._shared.media.setdefault(rid, media)
                for rid, unit in found.units.items():
                    self._shared.units.setdefault(rid, unit)
                self._shared.broken += found.broken
        return self._shared

    def _res_file(self, base: str, loc: str) -> _Resources:
        """The resource file ``loc`` (seen from ``base``), each read once."""
        path = locate(self.package, base, loc)
        if path is None:
            return _Resources(broken=[f"resource file {loc.strip()} is missing"] if loc.strip() else [])
        if path not in self._res_files:
            self._res_files[path] = self._read_res(path)
        return self._res_files[path]

    def _read_res(self, path: str) -> _Resources:
        res = _Resources()
        try:
            root = parse_xml(self.package.read(path), path)
        except CorruptFile as exc:
            res.broken.append(f"resource file {path} could not be read: {exc}")
            return res
        folder = (root.get("BaseLoc") or "").strip().replace("\\", "/")
        base = posixpath.normpath(posixpath.join(posixpath.dirname(path), folder, "_")).lstrip("/")
        for media in root.iter("{*}MultiMedia"):
            rid = (media.get("ID") or "").strip()
            loc = next((f.text or "" for f in media.iter("{*}MediaFile")), "").strip()
            if rid and loc:
                res.media.setdefault(rid, self._media(base, path, loc))
        for unit in root.iter("{*}CompositeGraphicUnit"):
            res.units.setdefault((unit.get("ID") or "").strip(), unit)
        return res

    def _media(self, base: str, res_path: str, loc: str) -> _Media:
        wanted = posixpath.normpath(posixpath.join(posixpath.dirname(base), loc.replace("\\", "/")))
        found = locate(self.package, base, loc) or locate(self.package, res_path, loc)
        return _Media(found or self._same_name(loc), wanted.lstrip("/"))

    def _same_name(self, loc: str) -> str | None:
        """The one member of this document's folder called like ``loc``, if exactly one is."""
        if self._by_name is None:
            self._by_name = {}
            for name in self.package.names:
                if name.lower().startswith(self._doc_dir.lower()) and not name.endswith("/"):
                    self._by_name.setdefault(posixpath.basename(name).lower(), []).append(name)
        same = self._by_name.get(posixpath.basename(loc.replace("\\", "/")).lower(), [])
        return same[0] if len(same) == 1 else None


def _undeclared(what: str, rid: str, scope: list[_Resources]) -> str:
    broken = [why for res in scope for why in res.broken]
    return f"{what} {rid} is not declared" + (f" ({'; '.join(broken)})" if broken else "")


def _places(places: list[str]) -> str:
    more = len(places) - _MAX_PLACES
    return ", ".join(places[:_MAX_PLACES]) + (f" and {more} more" if more > 0 else "")
