"""Pure planning of a static-site upload: object keys, content types and cache headers."""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

# Types the platform's mime table may lack or get wrong for the web.
_WEB_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".ico": "image/x-icon",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
# A content hash in the file name (app.3f9c2b1a.js, chunk-5KXN2Q7P.css): safe to cache for ever.
_FINGERPRINT = re.compile(r"[.-]([0-9a-f]{8,}|[0-9A-Z]{8})\.[a-z0-9]+$")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


@dataclass(frozen=True)
class PlannedObject:
    key: str
    path: Path
    content_type: str
    cache_control: str


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _WEB_TYPES:
        return _WEB_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def cache_control(key: str, default: str) -> str:
    """HTML and manifests revalidate (deploys show at once); fingerprinted files never change."""
    if key.endswith((".html", ".json", ".webmanifest")) or key.endswith("/"):
        return REVALIDATE
    if _FINGERPRINT.search(key):
        return IMMUTABLE
    return default


def plan_objects(root: Path, default_cache_control: str) -> tuple[PlannedObject, ...]:
    """Every file below ``root`` (hidden files excluded), keyed by its POSIX path."""
    if not root.is_dir():
        raise FileNotFoundError(f"content folder {root} does not exist")
    planned = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        key = relative.as_posix()
        planned.append(PlannedObject(key, path, content_type(path), cache_control(key, default_cache_control)))
    return tuple(planned)
